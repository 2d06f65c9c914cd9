# Formats and words used everywhere. A new language copies this folder and translates it;
# no Rust changes. Messages take their values as named placeables ({ $name }).

## Numbers and dates
number-decimal-separator = ,
format-hours = { $value } h
format-kb = { $value } KB
format-mb = { $value } MB
format-hours-per-week = { $hours } pro Woche (laufend)
format-percent = { $value } %
format-utilization-none = —
format-date = { $day }.{ $month }.{ $year }
format-day-month = { $day }.{ $month }.
format-day-month-time = { $day }.{ $month }. { $hour }:{ $minute }
format-day-month-time-utc = { $day }.{ $month }. { $hour }:{ $minute } UTC
format-quoted = „{ $text }“
format-list-separator = ,{" "}
format-and-more = { $shown } und { $more } weitere
format-nothing = leer
yes = ja
no = nein
not-a-number = keine Zahl

## Work areas
area-backoffice = Backoffice
area-secretarial = Sekretariat
area-marketing = Marketing
area-sales = Vertrieb
area-software = Software

## Task statuses
status-open = offen
status-surveying = Umfrage läuft
status-assigned = vergeben
status-escalated = an VPA Manager gemeldet
status-external = extern vergeben
status-done = erledigt
status-split = aufgeteilt
status-cancelled = abgebrochen

## Competence levels
level-basic = Grundkenntnisse
level-good = gut
level-expert = Experte

## Decline reasons
reason-no-capacity = keine Kapazität
reason-missing-competence = Kompetenz fehlt
reason-no-interest = kein Interesse
reason-deadline-too-tight = Deadline zu knapp
reason-other = Sonstiges
reason-not-given = nicht angegeben

## Who may do what
only-coordinators = Das dürfen nur Koordinator:innen und der VPA Manager. Frag bei Bedarf den VPA Manager nach der Rolle.
only-manager = Das darf nur der VPA Manager.
only-vpas-profile = Profile gibt es nur für VPAs (Rolle „VPA“ fehlt).
only-vpas = Auf Umfragen können nur VPAs antworten (Rolle „VPA“ fehlt).
only-in-server = Dieser Befehl funktioniert nur auf dem Server, nicht in Direktnachrichten.
only-own-profile = Du kannst nur dein eigenes Profil sehen und ändern. Koordinator:innen und der VPA Manager können Profile anderer bearbeiten.

## Errors
internal-error = Da ist bei uns etwas schiefgegangen. Es wurde nichts halb gespeichert; versuche es bitte gleich noch einmal. Bleibt der Fehler, melde dich beim VPA Manager.
database-busy = Die Datenbank ist gerade von einem anderen Vorgang belegt (z. B. einem Import), länger als { $seconds } s. Es wurde nichts gespeichert; versuche es bitte in einer Minute noch einmal.
bad-argument = Die Eingabe „{ $input }“ passt nicht: { $what }. Es wurde nichts gespeichert.
bad-argument-unnamed = Eine Eingabe passt nicht: { $what }. Es wurde nichts gespeichert.
already-handled = Das wurde schon erledigt – nichts geändert.
unknown-button = Diese Schaltfläche kennt der Bot nicht (mehr).
unknown-survey = Diese Umfrage gibt es nicht mehr.

format-more = und { $more } weitere

## The outbox
delivery-failed = ⚠️ Eine Nachricht des Bots konnte nicht zugestellt werden ({ $what }, Eintrag { $id }){ $answer }. `vpa-desk outbox` zeigt alle nicht zugestellten; `vpa-desk outbox --requeue { $id }` stellt sie neu zu.
delivery-failed-answer = : Discord antwortete { $status } (Code { $code })
delivery-failed-gave-up = , nach zu vielen Versuchen aufgegeben
delivery-kind-survey_post = Umfrage-Post
delivery-kind-survey_reactions = Reaktionen am Umfrage-Post
delivery-kind-refresh_survey_post = Aktualisierung eines Umfrage-Posts
delivery-kind-escalation_notice = Meldung an den VPA Manager
delivery-kind-escalation_ping = Erinnerung an den VPA Manager
delivery-kind-direct = Direktnachricht
delivery-kind-pool_watch = Pool-Gesundheit
delivery-kind-other = Nachricht
delivery-kind-delivery_failed = Meldung über eine nicht zugestellte Nachricht
