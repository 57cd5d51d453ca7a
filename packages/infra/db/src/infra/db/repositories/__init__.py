"""Repositories: the only modules that execute queries. One module per aggregate."""
