"""The spheres of public tasks of art. 4 ust. 1 of the Act on public benefit and volunteer work.

Section I.2 of the offer (Dz.U. 2018 poz. 2057, annex 1) asks for the "Rodzaj
zadania publicznego": the kind of task of art. 13 ust. 2 pkt 1 as the
announcement names it, i.e. one of these spheres, not the programme's name.
The key is the point's number in art. 4 ust. 1 ("1", "1a", … "33"); the text
is the point's wording as the Act says it (genitive, completing "zadania w
zakresie:"), so a printout can quote it unchanged.

Source: ustawa z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i
o wolontariacie, tekst jednolity Dz.U. z 2024 r. poz. 1491, art. 4 ust. 1. The
copies reachable while writing this (infor.pl DZU.2024.282.0001491, epedagogika.pl,
dlajurysty.pl) showed only the Act's opening articles; the set of points was
checked against a published statute's list of aims that reproduces art. 4 ust. 1
(pkt 1–32a and pkt 33), and the genitive wording of pkt 3, 4, 5, 14, 16, 17,
19, 20 and 27 against the City of Warsaw's list of local-initiative areas
(um.warszawa.pl/waw/sasiedzka/tematy-inicjatyw, quoting art. 19b, which repeats
them). The other points are worded as the consolidated text reads to the best
of our knowledge, not compared with a copy: a correction is a change of data
here, and the keys (point numbers) stay.
"""

from __future__ import annotations

ACT = (
    "art. 4 ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego"
    " i o wolontariacie"
)

# Point number → the point's wording, in the Act's order.
SPHERES: dict[str, str] = {
    "1": "pomocy społecznej, w tym pomocy rodzinom i osobom w trudnej sytuacji życiowej oraz"
    " wyrównywania szans tych rodzin i osób",
    "1a": "wspierania rodziny i systemu pieczy zastępczej",
    "1b": "udzielania nieodpłatnej pomocy prawnej oraz zwiększania świadomości prawnej"
    " społeczeństwa",
    "2": "działalności na rzecz integracji i reintegracji zawodowej i społecznej osób"
    " zagrożonych wykluczeniem społecznym",
    "3": "działalności charytatywnej",
    "4": "podtrzymywania i upowszechniania tradycji narodowej, pielęgnowania polskości oraz"
    " rozwoju świadomości narodowej, obywatelskiej i kulturowej",
    "5": "działalności na rzecz mniejszości narodowych i etnicznych oraz języka regionalnego",
    "5a": "działalności na rzecz integracji cudzoziemców",
    "6": "ochrony i promocji zdrowia, w tym działalności leczniczej w rozumieniu ustawy z dnia"
    " 15 kwietnia 2011 r. o działalności leczniczej",
    "7": "działalności na rzecz osób niepełnosprawnych",
    "8": "promocji zatrudnienia i aktywizacji zawodowej osób pozostających bez pracy i"
    " zagrożonych zwolnieniem z pracy",
    "9": "działalności na rzecz równych praw kobiet i mężczyzn",
    "10": "działalności na rzecz osób w wieku emerytalnym",
    "11": "działalności wspomagającej rozwój gospodarczy, w tym rozwój przedsiębiorczości",
    "12": "działalności wspomagającej rozwój techniki, wynalazczości i innowacyjności oraz"
    " rozpowszechnianie i wdrażanie nowych rozwiązań technicznych w praktyce gospodarczej",
    "13": "działalności wspomagającej rozwój wspólnot i społeczności lokalnych",
    "14": "nauki, szkolnictwa wyższego, edukacji, oświaty i wychowania",
    "15": "działalności na rzecz dzieci i młodzieży, w tym wypoczynku dzieci i młodzieży",
    "16": "kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego",
    "17": "wspierania i upowszechniania kultury fizycznej",
    "18": "ekologii i ochrony zwierząt oraz ochrony dziedzictwa przyrodniczego",
    "19": "turystyki i krajoznawstwa",
    "20": "porządku i bezpieczeństwa publicznego",
    "21": "obronności państwa i działalności Sił Zbrojnych Rzeczypospolitej Polskiej",
    "22": "upowszechniania i ochrony wolności i praw człowieka oraz swobód obywatelskich, a także"
    " działań wspomagających rozwój demokracji",
    "22a": "udzielania nieodpłatnego poradnictwa obywatelskiego",
    "23": "ratownictwa i ochrony ludności",
    "24": "pomocy ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen w kraju i"
    " za granicą",
    "25": "upowszechniania i ochrony praw konsumentów",
    "26": "działalności na rzecz integracji europejskiej oraz rozwijania kontaktów i współpracy"
    " między społeczeństwami",
    "27": "promocji i organizacji wolontariatu",
    "28": "pomocy Polonii i Polakom za granicą",
    "29": "działalności na rzecz kombatantów i osób represjonowanych",
    "29a": "działalności na rzecz weteranów i weteranów poszkodowanych w rozumieniu ustawy z dnia"
    " 19 sierpnia 2011 r. o weteranach działań poza granicami państwa",
    "30": "promocji Rzeczypospolitej Polskiej za granicą",
    "31": "działalności na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i"
    " ochrony praw dziecka",
    "32": "przeciwdziałania uzależnieniom i patologiom społecznym",
    "32a": "działalności na rzecz rewitalizacji",
    "33": "działalności na rzecz organizacji pozarządowych oraz podmiotów wymienionych w art. 3"
    " ust. 3, w zakresie określonym w pkt 1–32a",
}


def sphere_text(key: str) -> str | None:
    """The sphere's statutory wording, or None for an unknown key."""
    return SPHERES.get(key)


def sphere_label(key: str) -> str:
    """How a list shows a sphere: its point number and wording ("16) kultury, sztuki…")."""
    return f"{key}) {SPHERES[key]}"
