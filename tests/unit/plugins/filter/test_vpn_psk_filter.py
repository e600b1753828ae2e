"""vpn_psk_problems: each of AWS's PSK rules is named when broken, and the key is never quoted."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.filter.vpn_psk import vpn_psk_problems


@pytest.mark.parametrize("psk", ["cloudneta", "Abcdefgh", "a" * 64, "x.y_z.1234", "1nitial.key"])
def test_valid_keys_have_no_problems(psk: str) -> None:
    assert vpn_psk_problems(psk, "tunnel1_psk") == []


@pytest.mark.parametrize("psk", ["short", "a" * 65, ""])
def test_the_length_rule(psk: str) -> None:
    problems = vpn_psk_problems(psk, "tunnel1_psk")

    assert problems == [f"tunnel1_psk must be 8 to 64 characters long (it has {len(psk)})"]


@pytest.mark.parametrize("psk", ["has-a-dash", "with space", "kéy.unicode", "semi;colon1"])
def test_the_character_rule(psk: str) -> None:
    assert vpn_psk_problems(psk, "tunnel2_psk") == ["tunnel2_psk may contain only letters, digits, '.' and '_'"]


def test_the_leading_zero_rule() -> None:
    assert vpn_psk_problems("0abcdefgh", "tunnel1_psk") == ["tunnel1_psk must not start with '0'"]


def test_every_broken_rule_is_named_at_once() -> None:
    problems = vpn_psk_problems("0-a", "tunnel1_psk")

    assert len(problems) == 3
    assert any("8 to 64" in problem for problem in problems)
    assert any("only letters" in problem for problem in problems)
    assert any("start with '0'" in problem for problem in problems)


@pytest.mark.parametrize("psk", [12345678, None, ["cloudneta"]])
def test_a_key_that_is_not_a_string_is_named(psk: object) -> None:
    assert vpn_psk_problems(psk, "tunnel1_psk") == ["tunnel1_psk must be a string"]


def test_the_sentences_never_quote_the_key() -> None:
    secret = "0secret-key-value!"

    problems = vpn_psk_problems(secret, "tunnel1_psk")

    assert problems
    assert all(secret not in problem for problem in problems)


def test_the_default_name() -> None:
    assert vpn_psk_problems("0abcdefgh") == ["psk must not start with '0'"]
