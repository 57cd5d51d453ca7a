"""Invitation tokens survive being pasted into a command line or a URL, and only hashes are kept."""

from __future__ import annotations

import re

from core.domains.invitations.tokens import hash_token, issue_token


def test_tokens_are_256_bit_hex_so_none_reads_as_a_command_line_option() -> None:
    tokens = [issue_token().token for _ in range(500)]

    assert all(re.fullmatch(r"[0-9a-f]{64}", token) for token in tokens)
    assert len(set(tokens)) == len(tokens)


def test_the_stored_hash_is_the_tokens_sha256_not_the_token() -> None:
    issued = issue_token()

    assert issued.token_hash == hash_token(issued.token)
    assert issued.token not in issued.token_hash
    assert re.fullmatch(r"[0-9a-f]{64}", issued.token_hash)
