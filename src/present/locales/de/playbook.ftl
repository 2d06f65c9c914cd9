## The playbook under the notice (embed fields: title 256, text 1,024 characters)
playbook-title = Was tun? Optionen aus dem Leitfaden
playbook-extend-title = 1. Umfrage erweitern
playbook-extend = { $count ->
    [one] 1 VPA mit der Kompetenz möchte eigentlich keine neuen Kunden/Aufgaben.
   *[other] { $count } VPAs mit der Kompetenz möchten eigentlich keine neuen Kunden/Aufgaben.
}
playbook-unasked = { $count ->
    [one] 1 weitere passende VPA wurde noch nicht angefragt (ein Umfrage-Post nennt höchstens { $max }).
   *[other] { $count } weitere passende VPAs wurden noch nicht angefragt (ein Umfrage-Post nennt höchstens { $max }).
}
playbook-illogical = Unlogische Absagen („keine Kapazität“, aber Zeitplanung frei): { $people }
playbook-later-title = 2. Deadline verschieben
playbook-later = Frühestens ab { $from }: { $who }. Vorlage: `/template name:deadline task:{ $task }`; danach `/task edit id:{ $task } deadline:…`
playbook-later-who = <@{ $vpa }> ab { $from }
playbook-later-none = Niemand hat „später“ mit Datum geantwortet.
playbook-related-title = 3. Kompetenz ändern
playbook-related = „{ $competence }“: { $count ->
    [one] 1 passende VPA
   *[other] { $count } passende VPAs
}
playbook-related-none = Keine verwandten Kompetenzen im Katalog.
playbook-newbies-title = 4. Newbies anstupsen
playbook-newbies = { $count ->
    [one] 1 Newbie
   *[other] { $count } Newbies
} ohne Kompetenz im Bereich { $area } – vielleicht schlummert sie dort.
playbook-split-title = 5. Aufteilen
playbook-split = { $count } Teile: { $parts }. Vorlage: `/template name:split task:{ $task }`
playbook-split-none = Nur für Aufgaben ab { $large } – diese hat { $hours }.
playbook-training-title = 6. Einarbeitung anbieten
playbook-training = { $people } (auf Kosten des Kunden). Vorlage: `/template name:training task:{ $task }`
playbook-training-none = Niemand mit Bereitschaft zur Einarbeitung und verwandter Kompetenz.
playbook-external-title = 7. Externe Recherche anbieten
playbook-external = Vorlage: `/template name:external task:{ $task }`

## Its buttons (at most 80 characters)
playbook-button-extend = Umfrage erweitern ({ $count })
playbook-button-reask = Absagen nachfragen ({ $count })
playbook-button-related = Als „{ $competence }“ ausschreiben ({ $count })
playbook-button-nudge = Newbies anstupsen ({ $count })
playbook-button-split = In { $parts } Teile aufteilen

## What a button did
playbook-nobody = Dafür gibt es gerade niemanden – es wurde nichts ausgelöst.
playbook-already-done = Das ist schon geschehen: alle, die diese Aktion erreicht, wurden in dieser Runde bereits angeschrieben – es wurde nichts doppelt ausgelöst.
playbook-already-split = Aufgabe #{ $task } ist bereits aufgeteilt; die Teile sind eigene Aufgaben (siehe `/task show id:{ $task }`).
playbook-button-external = Extern vergeben
playbook-external-done = Aufgabe #{ $task } ist jetzt extern vergeben und zählt nicht mehr als offener Bedarf.
playbook-extended = Erweiterte Umfrage zu Aufgabe #{ $task } gestartet: { $count ->
    [one] 1 VPA angefragt, die eigentlich keine neuen Kunden/Aufgaben möchte.
   *[other] { $count } VPAs angefragt, die eigentlich keine neuen Kunden/Aufgaben möchten.
}
playbook-related-started = Aufgabe #{ $task } neu ausgeschrieben unter „{ $competence }“: { $count ->
    [one] 1 VPA angefragt.
   *[other] { $count } VPAs angefragt.
}
playbook-reasked = { $count ->
    [one] 1 VPA
   *[other] { $count } VPAs
} zu Aufgabe #{ $task } freundlich per DM noch einmal gefragt.
playbook-nudged = { $count ->
    [one] 1 Newbie
   *[other] { $count } Newbies
} angestupst, ihre Kompetenzen zu ergänzen.
playbook-nudged-cooling = { $cooling ->
    [one] 1 wurde kürzlich schon angestupst (Cool-down) und bleibt diesmal in Ruhe.
   *[other] { $cooling } wurden kürzlich schon angestupst (Cool-down) und bleiben diesmal in Ruhe.
}
playbook-not-large = Aufgabe #{ $task } ist keine große Aufgabe: aufteilen lässt sich erst ab { $large }.
playbook-split-done = Aufgabe #{ $task } aufgeteilt in { $parts } – jede Teilaufgabe wird eigens angefragt.
playbook-split-part = #{ $task } ({ $hours })

## Direct messages
dm-reask-decliner = Hallo! Du hattest Aufgabe #{ $task } ({ $area } · { $competence } · Deadline { $deadline }) mit „keine Kapazität“ abgesagt. Laut deiner Zeitplanung möchtest du Aufgaben und hast noch Luft – passt es vielleicht doch? Wenn ja, tippe einfach auf „Annehmen“. Wenn nicht, ist das völlig in Ordnung; aktualisiere dann gern deine Zeitplanung mit `/profile schedule`.
dm-newbie-nudge = Hallo und willkommen im Team! 👋 Wir suchen gerade Unterstützung im Bereich { $area }. Bitte prüfe und ergänze deine Kompetenzen – **Grundkenntnisse reichen!** –, damit wir dir passende Aufgaben anbieten können.

## Chat templates
template-unknown = Eine Vorlage „{ $name }“ gibt es nicht. Vorhanden: { $known }.
template-reply = **{ $title }** (Aufgabe #{ $task })
template-later-open = (Datum offen)
