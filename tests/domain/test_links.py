"""Official links where the person acts: the right pages as the next step for each kind of notice."""

from __future__ import annotations

from notices import catalog, links


def test_a_bill_links_paying_the_payoff_amount_and_a_plan() -> None:
    assert links.next_links("CP14", "open") == ("direct_pay", "online_account", "opa", "form_9465")


def test_a_cdp_notice_links_form_12153_first_and_free_help() -> None:
    found = links.next_links("LT11", "open")
    assert found[0] == "form_12153" and {"tas", "litc"} <= set(found)


def test_a_proposal_is_not_paid_yet_and_a_plan_links_its_account_and_changes() -> None:
    assert "direct_pay" not in links.next_links("CP2000", "open")
    assert links.next_links("CP14", "plan") == ("online_account", "opa")
    assert links.next_links("CP14", "paid") == ()


def test_every_link_is_an_official_page() -> None:
    assert all(catalog.is_official(url) for url in links.URLS.values())
