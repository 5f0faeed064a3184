"""A realistic Polish demo: a KGW with valid identifiers and a full application.

Invented, but shaped like real offers published by public bodies (baking
contests, folk costumes, cooking workshops of rural women's associations). Its
texts use every Polish letter, upper and lower case, so printouts and exports
can be checked for them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from mms_desktop.domain.application import Action, Application, BudgetLine, Result
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Person,
    RegisterType,
    YearRevenue,
)

DEMO_CALL_ID = "mms-2027-p1-przyklad"


def demo_organization() -> Organization:
    return Organization(
        id=new_id(),
        name="Koło Gospodyń Wiejskich w Łękawce Górnej",
        short_name="KGW Łękawka",
        legal_form=LegalForm.KGW,
        register_type=RegisterType.ARIMR_KGW,
        register_number="0004567",
        nip="7821700239",
        regon="356304916",
        street="ul. Źródlana 12",
        postcode="34-212",
        locality="Łękawka Górna",
        gmina="Łękawka",
        powiat="suski",
        voivodeship="małopolskie",
        locality_population=1240,
        revenues=(
            YearRevenue(2024, D("18450.00")),
            YearRevenue(2025, D("22310.50")),
            YearRevenue(2026, D("19875.20")),
        ),
        website="https://kgw-lekawka.example.pl",
        email="kgw.lekawka@example.pl",
        phone="+48 33 876 54 32",
        bank_account="94124015081111222233334444",
        representatives=(
            Person(name="Grażyna Żółkiewska", role="Przewodnicząca"),
            Person(name="Małgorzata Ćwiek", role="Skarbniczka"),
        ),
        contact=Person(
            name="Agnieszka Łoś",
            role="Koordynatorka projektu",
            phone="+48 600 123 456",
            email="agnieszka.los@example.pl",
        ),
    )


def demo_application(organization_id: str, call: CallDefinition) -> Application:
    """The demo application, dated inside ``call``'s task window."""
    actions = [
        Action(
            new_id(),
            "Warsztaty kulinarne „Smaki dzieciństwa”",
            "Sześć spotkań w świetlicy: gotujemy potrawy z przepisów babć, "
            "uczymy się od najstarszych członkiń koła.",
            "Mieszkańcy gminy, w tym seniorzy i młodzież",
            date(2027, 7, 10),
            date(2027, 9, 25),
        ),
        Action(
            new_id(),
            "Konkurs wypieków regionalnych",
            "Konkurs na najlepszy kołacz i drożdżówkę; ocenia jury z cukiernikiem.",
            "Gospodynie i gospodarze z terenu gminy",
            date(2027, 9, 4),
            date(2027, 9, 4),
        ),
        Action(
            new_id(),
            "Gminne dyktando „ZAŻÓŁĆ GĘŚLĄ JAŹŃ”",
            "Dyktando dla dzieci i dorosłych w Źródlanej Szkole Podstawowej; "
            "ĆWICZENIA z ortografii przed konkursem.",
            "Uczniowie i dorośli mieszkańcy",
            date(2027, 10, 9),
            date(2027, 10, 9),
            True,
        ),
        Action(
            new_id(),
            "Zakup wyposażenia kuchni i strojów ludowych",
            "Kuchenka indukcyjna, naczynia i dwanaście strojów ludowych dla członkiń koła.",
            "Członkinie koła",
            date(2027, 7, 5),
            date(2027, 8, 31),
        ),
        Action(
            new_id(),
            "Książka „Przepisy naszych babć” i piknik rodzinny",
            "Wydanie książki kucharskiej z przepisami zebranymi na warsztatach "
            "i rodzinny piknik na jej promocję.",
            "Wszyscy mieszkańcy, goście z Żywca i Ślemienia",
            date(2027, 10, 1),
            date(2027, 11, 27),
        ),
    ]
    a1, a2, a3, a4, a5 = (action.id for action in actions)

    def line(
        action: str | None,
        category: str,
        name: str,
        unit: str,
        cost: str,
        quantity: str,
        **split: str,
    ) -> BudgetLine:
        total = (D(cost) * D(quantity)).quantize(D("0.01"))
        amounts = {key: D(value) for key, value in split.items()} or {"grant": total}
        return BudgetLine(new_id(), category, action, name, unit, D(cost), D(quantity), **amounts)

    budget = [
        line(
            a1, "honoraria", "Honorarium prowadzącej warsztaty kulinarne", "godz.", "120.00", "24"
        ),
        line(a1, "materialy", "Produkty spożywcze na warsztaty", "komplet", "350.00", "6"),
        line(a1, "wynajem", "Wynajem sali ze sprzętem kuchennym", "godz.", "60.00", "24"),
        line(
            a1,
            "wolontariat",
            "Praca wolontariuszek przy warsztatach",
            "godz.",
            "40.00",
            "48",
            own_personal="1920.00",
        ),
        line(a2, "materialy", "Nagrody rzeczowe w konkursie wypieków", "szt.", "250.00", "6"),
        line(
            a2, "honoraria", "Honorarium jurorki – mistrzyni cukiernictwa", "usługa", "600.00", "1"
        ),
        line(a3, "promocja", "Druk dyplomów i plakatów dyktanda", "komplet", "450.00", "1"),
        line(a3, "materialy", "Nagrody książkowe dla laureatów dyktanda", "szt.", "80.00", "15"),
        line(
            a4, "wyposazenie", "Kuchenka indukcyjna z kompletem naczyń", "komplet", "4800.00", "1"
        ),
        line(
            a4,
            "wyposazenie",
            "Stroje ludowe dla członkiń koła",
            "szt.",
            "650.00",
            "12",
            grant="7000.00",
            own_financial="800.00",
        ),
        line(a5, "uslugi", "Skład i druk książki kucharskiej", "egz.", "24.50", "200"),
        line(
            a5,
            "uslugi",
            "Transport uczestników pikniku",
            "kurs",
            "900.00",
            "2",
            grant="1500.00",
            participants="300.00",
        ),
        line(
            a5,
            "wolontariat",
            "Praca członkiń przy organizacji pikniku",
            "godz.",
            "40.00",
            "60",
            own_personal="2400.00",
        ),
        line(
            a5,
            "wynajem",
            "Świetlica wiejska udostępniona przez gminę",
            "dzień",
            "300.00",
            "4",
            own_in_kind="1200.00",
        ),
        line(None, "administracja", "Obsługa księgowa projektu", "mies.", "250.00", "5"),
        line(None, "administracja", "Opłaty bankowe", "mies.", "15.00", "5", own_financial="75.00"),
    ]
    results = [
        Result(
            new_id(),
            "Uczestniczki i uczestnicy warsztatów kulinarnych",
            D("60"),
            "osób",
            "Listy obecności z każdego spotkania",
        ),
        Result(
            new_id(),
            "Przepisy zebrane i wydane w książce",
            D("40"),
            "przepisów",
            "Egzemplarz książki, protokół przekazania do biblioteki",
        ),
        Result(
            new_id(),
            "Uczestnicy gminnego dyktanda",
            D("50"),
            "osób",
            "Lista uczestników i protokół jury",
        ),
        Result(
            new_id(),
            "Wydarzenia otwarte dla mieszkańców",
            D("3"),
            "wydarzenia",
            "Dokumentacja zdjęciowa, relacje na stronie gminy",
        ),
    ]
    start = call.task_earliest_start or date(2027, 7, 1)
    end = call.task_latest_end or date(2027, 12, 31)
    return Application(
        id=new_id(),
        organization_id=organization_id,
        call_id=call.id,
        title="Smaki Łękawki – warsztaty, konkurs wypieków i książka „Przepisy naszych babć”",
        start_date=max(start, date(2027, 7, 1)),
        end_date=min(end, date(2027, 11, 30)),
        place="Świetlica wiejska w Łękawce Górnej, ul. Źródlana 12; Szkoła Podstawowa w Łękawce",
        target_group="Mieszkańcy gminy Łękawka: seniorzy, rodziny z dziećmi, młodzież; "
        "około 150 osób",
        summary="Koło gospodyń zbierze i spisze przepisy najstarszych mieszkanek wsi, poprowadzi "
        "sześć warsztatów kulinarnych, konkurs wypieków i gminne dyktando, a na koniec wyda "
        "książkę kucharską i zorganizuje piknik. Żółte kołacze, gęś pieczona i źródlana woda – "
        "smaki, które łączą pokolenia.",
        need="W gminie brakuje miejsc spotkań międzypokoleniowych; seniorki chcą przekazać "
        "przepisy, a młodzi wyjeżdżają. Świetlica nie ma sprawnej kuchni.",
        actions=tuple(actions),
        expected_results="Powstanie książka z co najmniej 40 przepisami, 60 osób weźmie udział "
        "w warsztatach, koło zyska wyposażoną kuchnię i stroje na występy.",
        results=tuple(results),
        experience="Od 2019 r. koło organizuje dożynki gminne, kiermasze świąteczne i warsztaty "
        "rękodzieła; w 2025 r. zrealizowało projekt „Śpiewaj z nami” (5 000 zł).",
        resources="32 członkinie, w tym 6 z doświadczeniem w prowadzeniu warsztatów; świetlica "
        "wiejska udostępniana przez gminę; samochód jednej z członkiń do transportu.",
        partners="Gmina Łękawka (udostępnienie świetlicy), Szkoła Podstawowa w Łękawce (dyktando), "
        "Gminna Biblioteka Publiczna (promocja książki).",
        budget=tuple(budget),
        other_information="Ćwiczenia z ortografii przed dyktandem poprowadzi emerytowana "
        "polonistka; hasło dyktanda „zażółć gęślą jaźń” wybrały dzieci.",
        confirmed_declarations=tuple(declaration.id for declaration in call.declarations),
    )


def _scan(title: str, lines: list[str]) -> bytes:
    """A one-page PDF standing in for a scanned document."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from mms_desktop.documents.fonts import BOLD, register_fonts

    regular = register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(BOLD, 14)
    canvas.drawString(72, 770, title)
    canvas.setFont(regular, 11)
    for number, line in enumerate(lines):
        canvas.drawString(72, 740 - 18 * number, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def demo_attachments() -> list[tuple[str, str, bytes]]:
    """(requirement id, file name, bytes) of the files the demo KGW attaches."""
    return [
        (
            "statut",
            "statut-kgw-lekawka.pdf",
            _scan(
                "Statut Koła Gospodyń Wiejskich w Łękawce Górnej",
                [
                    "§ 1. Koło Gospodyń Wiejskich w Łękawce Górnej działa na podstawie",
                    "ustawy z dnia 9 listopada 2018 r. o kołach gospodyń wiejskich.",
                    "§ 2. Siedzibą Koła jest Łękawka Górna, gmina Łękawka.",
                ],
            ),
        ),
        (
            "oswiadczenie_przychody",
            "oswiadczenie-o-przychodach.pdf",
            _scan(
                "Oświadczenie o przychodach",
                [
                    "Przychody Koła w latach 2024–2026 nie przekroczyły 100 000 zł rocznie:",
                    "2024: 18 450,00 zł; 2025: 22 310,50 zł; 2026: 19 875,20 zł.",
                    "Grażyna Żółkiewska, przewodnicząca",
                ],
            ),
        ),
    ]
