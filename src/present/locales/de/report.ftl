## The manager's reports (`/report`)
report-head = 📊 { $kind ->
    [pool] Pool-Gesundheit
    [demand] Nachfrage
    [fill] Zeit bis zur Besetzung
   *[utilization] Auslastung
} vom { $from } bis { $to }
report-chart-title = { $kind ->
    [pool] Verfügbar für Neukunden
    [demand] Aufgaben je Woche nach Ausgang
    [fill] Zeit bis zur Besetzung (Stunden)
   *[utilization] Auslastung der aktiven VPAs
}
report-y = { $kind ->
    [demand] Aufgaben
    [fill] Stunden
   *[other] VPAs
}
report-whole-pool = Gesamt
report-minimum = Minimum
report-median = Median
report-p90 = 90 %-Wert
report-vpas = VPAs
report-week = KW { $week }
report-bucket-idle = ohne Aufgabe
report-bucket-full = voll (≥ 100 %)
report-outcome-in-window = im ersten Fenster besetzt
report-outcome-later = später besetzt
report-outcome-external = extern vergeben
report-outcome-cancelled = abgesagt
report-outcome-open = noch offen
report-pool-line = { $area }: zuletzt { $last } verfügbar{ $minimum ->
    [0] {""}
   *[other] {""} (Minimum { $minimum })
}, Tiefstwert { $low } am { $low_on }{ $gaps ->
    [0] {""}
    [one] {""}; 1 Tag ohne Messung
   *[other] {""}; { $gaps } Tage ohne Messung
}
report-pool-none = Für diesen Zeitraum gibt es noch keine Messungen (der Bot misst einmal am Tag).
report-no-tasks = In diesem Zeitraum wurden keine Aufgaben angelegt.
report-demand-line = { $area }: { $total } { $total ->
    [one] Aufgabe
   *[other] Aufgaben
} ({ $parts }){ $escalated ->
    [0] {""}
   *[other] {""}, { $escalated } eskaliert
}
report-no-fills = In diesem Zeitraum wurde keine Aufgabe besetzt.
report-fill-line = { $area }: { $fills } { $fills ->
    [one] Besetzung
   *[other] Besetzungen
}, Median { $median }, 90 % innerhalb { $p90 }
report-fill-standard = Standard-Aufgaben im Backoffice (bis { $hours }) im ersten Fenster besetzt: { $filled } von { $all } ({ $share } %).
report-fill-standard-none = Standard-Aufgaben im Backoffice (bis { $hours }): keine in diesem Zeitraum.
report-utilization-line = { $week }: { $vpas } aktive VPAs mit Wochenstunden, im Schnitt { $mean } ausgelastet; { $idle } ohne Aufgabe, { $full } voll.
report-period-unreadable = „{ $input }“ ist kein Zeitraum. Erlaubt: eine Zahl von Wochen (z. B. `8` oder `8 Wochen`) oder zwei Daten (z. B. `01.10.2026-31.10.2026`); leer = die letzten 4 Wochen.
report-period-backwards = Im Zeitraum „{ $input }“ liegt das Ende vor dem Anfang.
report-period-too-long = Der Zeitraum „{ $input }“ geht nicht: mindestens 1 Woche, höchstens 2 Jahre.

## The weekly digest
digest-head = 🗓️ Wochenbericht { $from } – { $to }{ $late ->
    [yes] {""} (verspätet: der Bot lief zur geplanten Zeit nicht)
   *[no] {""}
}
digest-crossings = Pool-Minimum: { $below ->
    [0] an keinem gemessenen Tag unterschritten
    [one] an 1 Tag unterschritten
   *[other] an { $below } Tagen unterschritten
}{ $flips ->
    [0] {""}
   *[other] {""}, { $flips }× die Grenze gekreuzt
}.
digest-open = Offene Nachfrage jetzt: { $areas }.
digest-open-area = { $area } { $count } (älteste { $days } { $days ->
    [one] Tag
   *[other] Tage
})
digest-open-none = Offene Nachfrage jetzt: keine.
digest-completed = Profil vervollständigt ({ $count } { $count ->
    [one] Newbie
   *[other] Newbies
}): { $names }.
digest-completed-none = Profil vervollständigt: diese Woche kein Newbie.
report-csv-attached = 📎 { $file } angehängt ({ $rows } { $rows ->
    [one] Zeile
   *[other] Zeilen
}).
