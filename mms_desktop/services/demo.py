"""A realistic Polish demo: a KGW with valid identifiers and a full application.

Invented, but shaped like real offers published by public bodies (baking
contests, folk costumes, cooking workshops of rural women's associations). Its
texts use every Polish letter, upper and lower case, so printouts and exports
can be checked for them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from mms_desktop.domain.application import (
    Action,
    Application,
    Arrears,
    BudgetLine,
    PaidExecution,
    Result,
)
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import ZERO
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Person,
    RegisterType,
    YearRevenue,
)
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    InKindContribution,
    Report,
    VolunteerWork,
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


def line(
    action: str | None,
    category: str,
    name: str,
    unit: str,
    cost: str,
    quantity: str,
    **split: str,
) -> BudgetLine:
    """A cost line; paid wholly from the grant unless ``split`` says otherwise."""
    total = (D(cost) * D(quantity)).quantize(D("0.01"))
    amounts = {key: D(value) for key, value in split.items()} or {"grant": total}
    return BudgetLine(
        new_id(),
        category,
        action,
        name,
        unit,
        D(cost),
        D(quantity),
        grant=amounts.get("grant", ZERO),
        own_financial=amounts.get("own_financial", ZERO),
        own_personal=amounts.get("own_personal", ZERO),
        own_in_kind=amounts.get("own_in_kind", ZERO),
        participants=amounts.get("participants", ZERO),
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
            "Szkoła Podstawowa w Łękawce udostępnia salę i wyznacza jury spośród nauczycieli "
            "języka polskiego.",
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
        task_sphere="16",  # kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego
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
        results_products="Powstanie książka z co najmniej 40 przepisami, 60 osób weźmie udział "
        "w warsztatach, koło zyska wyposażoną kuchnię i stroje na występy.",
        results_change="Seniorki i młodzież zaczną spotykać się regularnie; przepisy, które "
        "znały tylko najstarsze mieszkanki, staną się wspólnym dobrem całej wsi.",
        results_durability="Książka trafi do biblioteki i szkoły; kuchnia w świetlicy posłuży "
        "kolejnym warsztatom, a konkurs wypieków koło chce powtarzać co roku.",
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
        paid_execution=PaidExecution.UNPAID,
        tax_arrears=Arrears.NONE,
        social_insurance_arrears=Arrears.NONE,
        confirmed_declarations=tuple(declaration.id for declaration in call.declarations),
    )


def _scan(title: str, lines: list[str]) -> bytes:
    from mms_desktop.documents.sample_scan import sample_scan  # reportlab: first use

    return sample_scan(title, lines)


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


# --- a settled project: an accepted offer and its report in progress ---------

SETTLED_CALL_ID = "art19a-2027-przyklad"


def demo_settled_application(organization_id: str, call: CallDefinition) -> Application:
    """A small accepted offer (the simplified art. 19a form) whose report is under way."""
    actions = [
        Action(
            new_id(),
            "Warsztaty śpiewu ludowego",
            "Dziesięć spotkań z instruktorką: pieśni obrzędowe i biesiadne z Żywiecczyzny.",
            "Mieszkanki i mieszkańcy gminy, także młodzież",
            date(2027, 6, 5),
            date(2027, 7, 31),
        ),
        Action(
            new_id(),
            "Nagranie pieśni i wydanie płyty",
            "Nagranie dwunastu pieśni w studiu i wydanie płyty dla szkół i biblioteki.",
            "Uczestnicy warsztatów",
            date(2027, 7, 15),
            date(2027, 8, 20),
        ),
        Action(
            new_id(),
            "Koncert „Pieśni znad Soły” w świetlicy",
            "Koncert chóru koła z gośćmi; zaproszenie dla wszystkich mieszkańców.",
            "Wszyscy mieszkańcy gminy",
            date(2027, 8, 28),
            date(2027, 8, 28),
        ),
    ]
    a1, a2, a3 = (action.id for action in actions)

    budget = [
        line(a1, "honoraria", "Honorarium instruktorki śpiewu", "godz.", "150.00", "20"),
        line(a1, "materialy", "Śpiewniki i materiały do warsztatów", "kpl.", "40.00", "25"),
        line(
            a2,
            "uslugi",
            "Nagranie i tłoczenie płyty",
            "usługa",
            "2500.00",
            "1",
            grant="2200.00",
            own_financial="300.00",
        ),
        line(a3, "promocja", "Plakaty i zaproszenia na koncert", "kpl.", "450.00", "1"),
        line(
            a3,
            "wynajem",
            "Nagłośnienie koncertu",
            "usługa",
            "1200.00",
            "1",
            grant="1000.00",
            participants="200.00",
        ),
        line(
            a1,
            "wolontariat",
            "Praca członkiń chóru przy organizacji",
            "godz.",
            "40.00",
            "60",
            own_personal="2400.00",
        ),
        line(
            a3,
            "wynajem",
            "Świetlica udostępniona przez gminę",
            "dzień",
            "300.00",
            "2",
            own_in_kind="600.00",
        ),
    ]
    results = [
        Result(new_id(), "Uczestnicy warsztatów śpiewu", D("25"), "osób", "Listy obecności"),
        Result(new_id(), "Nagrane pieśni", D("12"), "pieśni", "Płyta, spis utworów"),
        Result(new_id(), "Widzowie koncertu", D("120"), "osób", "Szacunek, zdjęcia"),
    ]
    return Application(
        id=new_id(),
        organization_id=organization_id,
        call_id=call.id,
        task_sphere="16",
        title="Śpiewaj z nami – warsztaty pieśni ludowych, płyta i koncert",
        start_date=date(2027, 6, 1),
        end_date=date(2027, 8, 29),
        place="Świetlica wiejska w Łękawce Górnej, ul. Źródlana 12",
        target_group="Mieszkańcy gminy Łękawka, około 150 osób",
        summary="Koło przywróci pamięć o pieśniach z Żywiecczyzny: warsztaty śpiewu, nagranie "
        "płyty i koncert dla całej gminy.",
        need="Pieśni obrzędowe znają już tylko najstarsze mieszkanki; nikt ich nie nagrał.",
        actions=tuple(actions),
        results_products="25 osób nauczy się pieśni, powstanie płyta z 12 utworami, "
        "koncert obejrzy 120 osób.",
        results_change="Pieśni obrzędowe znów będą śpiewane na uroczystościach gminy.",
        results_durability="Płyta zostanie w bibliotece i szkole; chór koła śpiewa dalej.",
        results=tuple(results),
        experience="Od 2019 r. koło śpiewa na dożynkach gminnych i kiermaszach.",
        resources="Chór koła (14 osób), świetlica wiejska udostępniana przez gminę.",
        budget=tuple(budget),
        paid_execution=PaidExecution.UNPAID,
        tax_arrears=Arrears.NONE,
        social_insurance_arrears=Arrears.NONE,
        confirmed_declarations=tuple(declaration.id for declaration in call.declarations),
    )


def demo_report_progress(report: Report) -> Report:
    """The volunteers' work so far: two actions marked, three invoices, hours, a hall."""
    a1, a2, _ = report.actions
    r1, r2, r3 = report.results
    l1, l2, l3, _, _, l6, l7 = report.budget
    return replace(
        report,
        contract_date=date(2027, 5, 20),
        contract_number="MMS/2027/0142",
        other_revenues="nie dotyczy",
        recipient_payments="Uczestnicy koncertu wrzucali dobrowolne cegiełki po 10 zł; zebrane "
        "200,00 zł pokryło część nagłośnienia (zgodnie z ofertą, wpłaty od odbiorców).",
        summary="Warsztaty odbyły się zgodnie z planem; nagraliśmy dziewięć pieśni z "
        "dwunastu. Koncert „Pieśni znad Soły” zgromadził mieszkańców całej gminy – "
        "żółte chusty, gęśle i źródlana woda na stołach.",
        actions=(
            replace(
                a1,
                outcome=ActionOutcome.DONE,
                start_date=a1.planned_start,
                end_date=a1.planned_end,
                description="Dziesięć spotkań, średnio 22 osoby; nauczyliśmy się 15 pieśni.",
            ),
            replace(
                a2,
                outcome=ActionOutcome.PARTLY,
                start_date=date(2027, 7, 20),
                end_date=date(2027, 8, 18),
                description="Nagraliśmy dziewięć pieśni; płyta wydana w 100 egzemplarzach.",
                deviations="Trzy pieśni nie weszły na płytę: solistka zachorowała w dniu nagrania.",
            ),
            *report.actions[2:],
        ),
        results=(
            replace(r1, achieved_value=D("28"), comment="Listy obecności z dziesięciu spotkań"),
            replace(r2, achieved_value=D("9"), comment="Choroba solistki – zob. działanie 2"),
            r3,
        ),
        documents=(
            AccountingDocument(
                new_id(),
                "FV 12/06/2027",
                date(2027, 6, 30),
                "Pracownia Głosu Anna Kowalczyk",
                "Honorarium instruktorki – czerwiec (10 godz.)",
                D("1500.00"),
                l1.id,
                grant=D("1500.00"),
                payment_date=date(2027, 7, 2),
            ),
            AccountingDocument(
                new_id(),
                "FV/2027/07/118",
                date(2027, 7, 1),
                "Księgarnia Muzyczna „Nutka” s.c., Żywiec",
                "Śpiewniki (25 szt.)",
                D("980.00"),
                l2.id,
                grant=D("980.00"),
                payment_date=date(2027, 7, 1),
            ),
            AccountingDocument(
                new_id(),
                "R-45/2027",
                date(2027, 8, 18),
                "Studio Nagrań „Źródło” Łukasz Żak",
                "Nagranie dziewięciu pieśni i tłoczenie 100 płyt",
                D("2350.00"),
                l3.id,
                grant=D("2050.00"),
                own_financial=D("300.00"),
                payment_date=date(2027, 8, 20),
            ),
        ),
        volunteer_work=(
            VolunteerWork(new_id(), "Członkinie chóru koła", 8, D("36"), D("40.00"), a1.id, l6.id),
        ),
        in_kind=(
            InKindContribution(
                new_id(),
                "Świetlica wiejska na próby i koncert (gmina Łękawka)",
                D("600.00"),
                a1.id,
                l7.id,
            ),
        ),
    )


def _png(width: int, height: int) -> bytes:
    """A small photo-like picture (a sky over a meadow) as a PNG, for the demo."""
    import struct
    import zlib

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        for x in range(width):
            if y < height * 3 // 5:
                rows += bytes((90 + y // 2, 150 + y // 3, 230))
            else:
                rows += bytes((60 + (x * 7) % 40, 140 + (y * 3) % 50, 50))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def demo_report_files() -> list[tuple[str, str, bytes]]:
    """(file name, description, bytes) of what the demo report attaches."""
    return [
        (
            "lista-obecnosci-warsztaty.pdf",
            "Lista obecności z warsztatów śpiewu (skan)",
            _scan(
                "Lista obecności – warsztaty śpiewu ludowego",
                [
                    "1. Grażyna Żółkiewska",
                    "2. Agnieszka Łoś",
                    "3. Zofia Ćwiek",
                    "… (28 osób)",
                ],
            ),
        ),
        ("koncert-zdjecie.png", "Zdjęcie z próby przed koncertem", _png(240, 160)),
    ]
