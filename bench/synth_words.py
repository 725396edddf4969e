"""Turn a seeded random generator into German-looking programme prose: sentences, notes, headings, table rows.

Word lists only (no copied prose); every sentence is built from a template, so the text reads like an
Arbeitsmarkt- und Integrationsprogramm without saying anything real.
"""

from __future__ import annotations

import random

SUBJECTS = [
    "das Jobcenter", "die Integrationsfachkraft", "der gemeinsame Arbeitgeberservice", "das Team Markt und Integration",
    "die Geschäftsführung", "jede Standortleitung", "das Fallmanagement", "die Bereichsleitung Leistung",
    "das Controlling", "die Fachkraft für Ausbildung", "der Fachdienst Gesundheit", "die Beauftragte für Chancengleichheit",
    "das Netzwerk der Träger", "die Jugendberufsagentur", "das Kompetenzteam Sprache", "die Servicestelle Selbständigkeit",
]
VERBS = [
    "stärkt", "begleitet", "unterstützt", "plant", "überprüft", "erweitert", "bündelt", "verbessert", "fördert",
    "steuert", "entwickelt", "verzahnt", "beobachtet", "priorisiert", "vereinfacht", "sichert", "bewertet", "öffnet",
]
OBJECTS = [
    "die Beratung von Alleinerziehenden", "den Zugang zu betrieblicher Ausbildung", "die Qualifizierung Geringqualifizierter",
    "das Angebot an berufsbezogenen Sprachkursen", "die Zusammenarbeit mit kleinen und mittleren Betrieben",
    "den Übergang von der Schule in den Beruf", "die Nachbetreuung nach einer Arbeitsaufnahme",
    "die Kontaktdichte im Kundenprozess", "die Planung der Bildungsziele", "den Einsatz von Eingliederungszuschüssen",
    "die Förderung älterer Langzeitarbeitsloser", "die Vermittlung in sozialversicherungspflichtige Beschäftigung",
    "das Teilnehmermanagement der Maßnahmen", "die aufsuchende Arbeit in den Quartieren", "die digitale Antragstellung",
    "den Austausch mit der Agentur für Arbeit", "die Gesundheitsorientierung im Fallmanagement",
    "die Kinderbetreuung während einer Maßnahme", "die Anerkennung ausländischer Berufsabschlüsse",
    "das Absolventenmanagement nach einer Weiterbildung", "die Steuerung des Eingliederungstitels",
]
ADVERBIALS = [
    "im Programmjahr", "gemeinsam mit den Trägern", "in allen Standorten", "schrittweise", "mit Blick auf die Zielvereinbarung",
    "auf Grundlage der Kundenstrukturanalyse", "unter Beachtung der Budgetgrenzen", "seit dem Frühjahr",
    "in enger Abstimmung mit der Kommune", "im Rahmen der Beratungskonzeption", "für jede Altersgruppe",
    "zusammen mit den Kammern", "quartalsweise", "nach einer Erprobung im Vorjahr",
]
CLAUSES = [
    "damit mehr Kundinnen und Kunden eine Beschäftigung aufnehmen", "weil der Bedarf im Vorjahr deutlich gestiegen ist",
    "sodass Wartezeiten spürbar kürzer werden", "wobei die individuelle Lebenslage im Mittelpunkt steht",
    "ohne die Budgetgrenzen zu überschreiten", "damit Abbrüche seltener werden",
    "weil Arbeitgeber eine passgenaue Auswahl erwarten", "sodass Qualifizierung und Vermittlung ineinandergreifen",
    "damit die Integrationsquote weiter steigt", "wobei regionale Unterschiede berücksichtigt werden",
]
OPENERS = [
    "Darüber hinaus", "Zugleich", "Vor diesem Hintergrund", "Im Ergebnis", "Außerdem", "Erfahrungsgemäß",
    "Ergänzend", "Nach wie vor", "Mittelfristig", "Gegenüber dem Vorjahr",
]
GROUPS = [
    "Alleinerziehende", "Jugendliche unter 25 Jahren", "Langzeitleistungsbeziehende", "geflüchtete Menschen",
    "Menschen mit Behinderung", "Ältere über 50 Jahre", "Geringqualifizierte", "Selbständige im Leistungsbezug",
    "Berufsrückkehrende", "Menschen mit gesundheitlichen Einschränkungen",
]
THEMES = [
    "Integration in Arbeit", "Qualifizierung", "Abbau des Langzeitbezugs", "Alleinerziehende", "Jugendliche",
    "Geflüchtete Menschen", "Gesundheit", "Arbeitgeberservice", "Sprachförderung", "Öffentlich geförderte Beschäftigung",
    "Selbständigkeit", "Kinderbetreuung", "Digitalisierung", "Familien im Leistungsbezug", "Ältere Arbeitsuchende",
    "Nachhaltige Integration", "Ausbildung", "Schuldnerberatung", "Wohnungsnot", "Netzwerkarbeit",
    "Personal und Organisation", "Kundenzufriedenheit", "Ressourcen", "Rahmenbedingungen", "Arbeitsmarkt in der Region",
]
CHAPTER_FRAMES = [
    "Handlungsschwerpunkt {}", "{} im Überblick", "Strategie: {}", "{} – Ziele und Maßnahmen", "Schwerpunkt {}",
    "{}: Ausgangslage und Planung",
]
SECTIONS = [
    "Ausgangslage", "Ziele im Programmjahr", "Umsetzung in den Standorten", "Zusammenarbeit mit Partnern",
    "Controlling und Nachhaltigkeit", "Instrumente und Angebote", "Erfahrungen aus dem Vorjahr", "Finanzierung",
    "Personal und Qualifizierung", "Ausblick", "Zielgruppen", "Wirkung der Maßnahmen", "Beteiligung der Kundinnen und Kunden",
]
NOTE_NOUNS = [
    "Beratung", "Sprachförderung", "Arbeitgeberkontakte", "Qualifizierung", "Nachbetreuung", "Kinderbetreuung",
    "Gesundheitsförderung", "Teilnehmermanagement", "Ausbildung", "Einstiegsgeld", "Weiterbildung", "Netzwerkarbeit",
    "Kontaktdichte", "Bildungszielplanung", "Fallmanagement", "Vermittlung",
]
NOTE_TAILS = [
    "im Fokus", "weiter ausgebaut", "gezielt gestärkt", "bleibt Schwerpunkt", "neu ausgerichtet", "mit Partnern",
    "wirkt nachhaltig", "in allen Standorten", "näher am Bedarf",
]
INSTRUMENTS = [
    "Maßnahmen beim Arbeitgeber (MAG)", "Eingliederungszuschüsse (EGZ)", "Einstiegsgeld (ESG)", "Aktivierungsgutschein (AVGS)",
    "Berufsbezogene Deutschsprachförderung", "Coaching nach Arbeitsaufnahme", "Einstiegsqualifizierung (EQ)",
    "Assistierte Ausbildung (AsA)", "Arbeitsgelegenheiten (AGH)", "Teilhabe am Arbeitsmarkt (§ 16i)",
    "Teilzeitberufsausbildung", "Umschulung in Betrieben", "Bewerbungszentrum", "Gesundheitscoaching",
    "Werkstatt Berufsorientierung", "Quartiersprojekt Arbeit", "Kompetenzfeststellung", "Jobmesse",
]
LOCATIONS = ["Nord", "Süd", "Mitte", "Ost", "West", "Hafen", "Altstadt", "Oberbilk"]
AREAS = ["Musterhausen", "Land", "Bund", "Vergleichstyp"]
ABBREVIATIONS = {
    "AGH": "Arbeitsgelegenheiten", "AsA": "Assistierte Ausbildung", "AVGS": "Aktivierungs- und Vermittlungsgutschein",
    "BA": "Bundesagentur für Arbeit", "BG": "Bedarfsgemeinschaft", "EGT": "Eingliederungstitel",
    "EGZ": "Eingliederungszuschüsse", "EQ": "Einstiegsqualifizierung", "ESG": "Einstiegsgeld",
    "FbW": "Förderung der beruflichen Weiterbildung", "gAGS": "gemeinsamer Arbeitgeberservice",
    "IFK": "Integrationsfachkraft", "LZB": "Langzeitleistungsbeziehende", "MAG": "Maßnahmen beim Arbeitgeber",
    "MAT": "Maßnahmen bei einem Träger", "SGB II": "Zweites Buch Sozialgesetzbuch", "U25": "unter 25 Jahren",
}


def german(number: int) -> str:
    """1234 → "1.234"."""
    return f"{number:,}".replace(",", ".")


class Words:
    """Seeded sentence, note and heading maker."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def sentence(self) -> str:
        r, pick = self.rng.random(), self.pick
        if r < 0.3:
            text = f"{pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)} {pick(ADVERBIALS)}"
            text = text[0].upper() + text[1:]
        elif r < 0.55:
            text = f"{pick(ADVERBIALS)} {pick(VERBS)} {pick(SUBJECTS)} {pick(OBJECTS)}, {pick(CLAUSES)}"
            text = text[0].upper() + text[1:]
        elif r < 0.75:
            text = f"{pick(OPENERS)} {pick(VERBS)} {pick(SUBJECTS)} {pick(OBJECTS)} {pick(ADVERBIALS)}"
        elif r < 0.9:
            text = (f"Für {pick(GROUPS)} sind im Programmjahr rund {german(self.rng.randrange(40, 2400))} Eintritte "
                    f"vorgesehen, {pick(CLAUSES)}")
        else:
            share = self.rng.randrange(5, 60)
            text = (f"Der Anteil der Gruppe „{pick(GROUPS)}“ an allen Eintritten liegt bei {share} %; "
                    f"{pick(SUBJECTS)} {pick(VERBS)} deshalb {pick(OBJECTS)}")
        return text + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def note(self) -> str:
        return f"{self.pick(NOTE_NOUNS)} {self.pick(NOTE_TAILS)}"

    def item(self) -> str:
        text = f"{self.pick(OBJECTS)} {self.pick(ADVERBIALS)}"
        return text[0].upper() + text[1:]

    def function(self) -> str:
        return f"{self.sentence()} {self.sentence()}"
