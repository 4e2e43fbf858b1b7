"""Demo chapter: the company, its councils' decisions, admissions and exits.

Barking and Dagenham's Cabinet agreed in principle on 21 March 2023 (minute item 94) and
Bromley's Portfolio Holder on the PDS committee's recommendation; both delegated the final
determination to the Director of Children's Services. The other councils' decisions, dates and
representatives (fictional people) are illustrative.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from plvgov import settings
from plvgov.dates import uk_date
from plvgov.membership import exits, members

if TYPE_CHECKING:
    from plvgov.demo.story import Story

D = date.fromisoformat

# (slug, in-principle date, body, reference, final date, admitted, representative)
FOUNDERS = [
    (
        "barking-and-dagenham",
        "2023-03-21",
        "Cabinet",
        "Item 94",
        "2023-03-28",
        "2023-04-01",
        "Alex Morgan",
    ),
    (
        "bromley",
        "2023-03-14",
        "Portfolio Holder for Children, Education and Families",
        "CEF PDS report CSD23041",
        "2023-03-29",
        "2023-04-01",
        "Priya Shah",
    ),
    ("barnet", "2023-02-27", "Cabinet", "Item 8", "2023-03-20", "2023-04-01", "Tom Okafor"),
    ("camden", "2023-03-08", "Cabinet", "Item 6", "2023-03-27", "2023-04-01", "Hannah Reid"),
    ("hackney", "2023-03-20", "Cabinet", "Item 11", "2023-03-30", "2023-04-01", "Samir Haddad"),
    ("islington", "2023-03-09", "Executive", "Item B4", "2023-03-29", "2023-04-01", "Grace Lin"),
    ("lambeth", "2023-03-13", "Cabinet", "Item 7", "2023-03-28", "2023-04-01", "Daniel Price"),
    ("southwark", "2023-03-14", "Cabinet", "Item 12", "2023-03-30", "2023-04-01", "Aisha Bello"),
    (
        "sutton",
        "2023-03-02",
        "Children, Families and Education Committee",
        "Item 9",
        "2023-03-24",
        "2023-04-01",
        "Owen Hughes",
    ),
    ("havering", "2023-03-15", "Cabinet", "Item 10", "2023-03-29", "2023-04-01", "Ruth Adeyemi"),
    ("enfield", "2023-03-22", "Cabinet", "KD 5541", "2023-03-31", "2023-04-01", "James Carter"),
    ("croydon", "2023-03-22", "Cabinet", "Item 9", "2023-03-31", "2023-04-01", "Leila Nasser"),
    (
        "lewisham",
        "2023-03-08",
        "Mayor and Cabinet",
        "Item 5",
        "2023-03-27",
        "2023-04-01",
        "Peter Walsh",
    ),
    ("greenwich", "2023-03-15", "Cabinet", "Item 7", "2023-03-28", "2023-04-01", "Nadia Rahman"),
    ("hounslow", "2023-03-21", "Cabinet", "Item 6", "2023-03-30", "2023-04-01", "Chris Evans"),
    (
        "waltham-forest",
        "2023-03-14",
        "Cabinet",
        "Item 8",
        "2023-03-29",
        "2023-04-01",
        "Maria Santos",
    ),
    (
        "newham",
        "2023-03-07",
        "Mayor in Cabinet",
        "Item 9",
        "2023-03-28",
        "2023-04-01",
        "Ben Foster",
    ),
    ("ealing", "2023-06-13", "Cabinet", "Item 10", "2023-06-27", "2023-07-01", "Zara Ahmed"),
    ("tower-hamlets", "2023-09-13", "Cabinet", "Item 6.4", "2023-09-28", "2023-10-01", "Ian Doyle"),
    (
        "kingston-upon-thames",
        "2024-02-08",
        "Corporate and Resources Committee",
        "Item 12",
        "2024-02-29",
        "2024-03-01",
        "Sophie Turner",
    ),
]
IN_PRINCIPLE_ONLY = [
    ("westminster", "2026-07-14", "Cabinet", "Item 7"),
    ("hammersmith-and-fulham", "2026-10-06", "Cabinet", "Item 5"),
]
DECLINED = [("bexley", "2023-03-20", "Cabinet", "Item 9")]


#: Each council's main civic address, as its register entry gives it (CA 2006 s.113).
ADDRESSES = {
    "barking-and-dagenham": "Barking Town Hall, 1 Town Square, Barking IG11 7LU",
    "bromley": "Civic Centre, Churchill Court, 2 Westmoreland Road, Bromley BR1 1AS",
    "barnet": "2 Bristol Avenue, Colindale, London NW9 4EW",
    "camden": "5 Pancras Square, London N1C 4AG",
    "hackney": "Hackney Town Hall, Mare Street, London E8 1EA",
    "islington": "Islington Town Hall, Upper Street, London N1 2UD",
    "lambeth": "Lambeth Town Hall, Brixton Hill, London SW2 1RW",
    "southwark": "160 Tooley Street, London SE1 2QH",
    "sutton": "Civic Offices, St Nicholas Way, Sutton SM1 1EA",
    "havering": "Town Hall, Main Road, Romford RM1 3BB",
    "enfield": "Civic Centre, Silver Street, Enfield EN1 3XA",
    "croydon": "Bernard Weatherill House, 8 Mint Walk, Croydon CR0 1EA",
    "lewisham": "Lewisham Town Hall, Catford Road, London SE6 4RU",
    "greenwich": "The Woolwich Centre, 35 Wellington Street, London SE18 6HQ",
    "hounslow": "Hounslow House, 7 Bath Road, Hounslow TW3 3EB",
    "waltham-forest": "Waltham Forest Town Hall, Forest Road, London E17 4JF",
    "newham": "Newham Dockside, 1000 Dockside Road, London E16 2QU",
    "ealing": "Perceval House, 14-16 Uxbridge Road, London W5 2HL",
    "tower-hamlets": "Town Hall, 160 Whitechapel Road, London E1 1BJ",
    "kingston-upon-thames": "Guildhall, High Street, Kingston upon Thames KT1 1EU",
    "westminster": "Westminster City Hall, 64 Victoria Street, London SW1E 6QP",
    "hammersmith-and-fulham": "Hammersmith Town Hall, King Street, London W6 9JU",
    "bexley": "Civic Offices, 2 Watling Street, Bexleyheath DA6 7AT",
}


def _record_address(story: Story, slug: str, on: date) -> None:
    command = f'plvgov member update {slug} --address "{ADDRESSES[slug]}" --date {on}'
    with story.ledger.write(command) as s:
        members.update(s, members.find(s, slug), on, address=ADDRESSES[slug])


def build(story: Story) -> list[str]:
    ledger = story.ledger
    with ledger.write("plvgov demo: company facts") as session:
        office = "c/o London Borough of Barnet, 2 Bristol Avenue, Colindale, London NW9 4EW"
        # A well-kept company: its last confirmation statement (review period to 13 February
        # 2026) and its accounts to 31 March 2025 are filed; the 2026 accounts are next.
        values = {
            "registered_office": office,
            "host_council": "London Borough of Barnet",
            "incorporation_date": D("2023-02-14"),
            "confirmation_date": D("2026-02-13"),
            "accounts_made_up_to": D("2025-03-31"),
            # fictional but well-formed, so that the demo's papers can be paid as printed
            "registered_email": "secretary@panlondonvehicle.example",
            "bank_account_name": "Pan-London Vehicle Limited",
            "bank_sort_code": "60-00-01",
            "bank_account_number": "12345678",
            "remittance_email": "remittances@panlondonvehicle.example",
            "finance_contact": "Finance Officer, 020 7946 0000, finance@panlondonvehicle.example",
            # an illustrative GLN (GS1 UK's 50 prefix, a valid check digit): its Peppol address
            "peppol_id": "0088:5060000000009",
        }
        facts = [settings.stage_fact(session, key, value, "demo") for key, value in values.items()]
        from plvgov import audit

        audit.record(
            session,
            "settings.set",
            "company facts",
            facts,
            {key: str(value) for key, value in values.items()},
        )
    for slug, ip_on, body, ref, final_on, admitted, rep in FOUNDERS:
        with ledger.write(f"plvgov member decide {slug} --stage in-principle") as s:
            members.decide(s, members.find(s, slug), "in-principle", D(ip_on), body, ref)
        with ledger.write(f"plvgov member decide {slug} --stage final") as s:
            members.decide(
                s,
                members.find(s, slug),
                "final",
                D(final_on),
                "Director of Children's Services (delegated)",
                "with the Director of Finance and the Monitoring Officer",
            )
        with ledger.write(f"plvgov member admit {slug}") as s:
            members.admit(s, members.find(s, slug), D(admitted))
        _record_address(story, slug, D(admitted))
        with ledger.write(f"plvgov member representative {slug}") as s:
            members.appoint_representative(
                s, members.find(s, slug), rep, D(admitted), f"{body} {ip_on}"
            )
    for slug, on, body, ref in IN_PRINCIPLE_ONLY:
        with ledger.write(f"plvgov member decide {slug} --stage in-principle") as s:
            members.decide(s, members.find(s, slug), "in-principle", D(on), body, ref)
        _record_address(story, slug, D(on))
    for slug, on, body, ref in DECLINED:
        with ledger.write(f"plvgov member decide {slug} --stage declined") as s:
            members.decide(s, members.find(s, slug), "declined", D(on), body, ref)
        _record_address(story, slug, D(on))
    # Sutton gives notice in time for the 2026 break; Havering's notice comes too late.
    with ledger.write("plvgov member withdraw sutton --notice-date 2025-09-12") as s:
        on_time = exits.withdraw(s, members.find(s, "sutton"), D("2025-09-12"))
    with ledger.write("plvgov member withdraw havering --notice-date 2025-11-03") as s:
        late = exits.withdraw(s, members.find(s, "havering"), D("2025-11-03"))
    with ledger.read() as s:
        start = settings.get(s, "term_start", story.today)
        founders = len(members.members_on(s, start))
    return [
        f"{len(FOUNDERS)} councils admitted ({founders} from {uk_date(start)}), "
        f"{len(IN_PRINCIPLE_ONLY)} agreed in principle, {len(DECLINED)} declined",
        on_time.message,
        late.message,
    ]
