"""The official pages where a person acts (issue 16), and which of them is the next step for a notice.

One place for these addresses: the card, the plan, the follow-ups and the relief texts link from here.
Only official pages (irs.gov, the Taxpayer Advocate Service).
"""

from __future__ import annotations

from notices import catalog

DIRECT_PAY = "https://www.irs.gov/payments/direct-pay"
OPA = "https://www.irs.gov/payments/online-payment-agreement-application"  # set up or change a plan
ONLINE_ACCOUNT = "https://www.irs.gov/payments/your-online-account"  # balance, payoff amount, transcripts
FORM_9465 = "https://www.irs.gov/forms-pubs/about-form-9465"  # installment agreement request by mail
FORM_12153 = "https://www.irs.gov/forms-pubs/about-form-12153"  # Collection Due Process hearing request
FORM_843 = "https://www.irs.gov/forms-pubs/about-form-843"  # claim for refund and request for abatement
FORM_911 = "https://www.irs.gov/forms-pubs/about-form-911"  # request for Taxpayer Advocate Service help
TAS = "https://www.taxpayeradvocate.irs.gov/"
LITC = "https://www.taxpayeradvocate.irs.gov/about-us/low-income-taxpayer-clinics-litc/"

URLS = {"direct_pay": DIRECT_PAY, "opa": OPA, "online_account": ONLINE_ACCOUNT, "form_9465": FORM_9465,
        "form_12153": FORM_12153, "form_843": FORM_843, "tas": TAS, "litc": LITC}
ENFORCEMENT_STAGE = 4  # a notice of intent to levy and later: free help is worth naming


def next_links(code: str, status: str) -> tuple[str, ...]:
    """The keys of ``URLS`` that are a next step for this notice, most pressing first."""
    info = catalog.get(code)
    if status in ("paid", "closed"):
        return ()
    if status == "plan":
        return ("online_account", "opa")
    if info is None:
        return ("online_account",)
    out: list[str] = []
    if info.instrument == "form_12153":
        out.append("form_12153")
    if status == "open" and info.assessed:
        out += ["direct_pay", "online_account", "opa", "form_9465"]
    elif status == "open":
        out.append("online_account")
    if info.hard or info.stage >= ENFORCEMENT_STAGE:
        out += ["tas", "litc"]
    return tuple(dict.fromkeys(out))
