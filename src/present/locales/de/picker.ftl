## The weekly nudge and the guided competence picker (`/profile pick`, the nudge's button)
dm-profile-nudge = Hallo und willkommen im Team! 👋 In deinem Profil „schlummern“ vielleicht noch Kompetenzen, die wir brauchen: bitte prüfe und ergänze sie. **Grundkenntnisse reichen!** So können wir dir passende Aufgaben anbieten.
    Noch offen: { $gaps }
button-pick-competences = Kompetenzen ergänzen
gap-no-competence = noch keine Kompetenz
gap-no-backoffice = keine im Backoffice
gap-too-few = { $have ->
    [one] 1 Kompetenz
   *[other] { $have } Kompetenzen
}, vollständig ab { $min }
profile-complete = **Profil:** vollständig ✅
profile-incomplete = **Profil:** unvollständig – { $gaps }. Ergänzen mit `/profile pick`.
picker-head-own = **Kompetenzen ergänzen** – { $area } (Seite { $position } von { $pages })
picker-head-other = **Kompetenzen von <@{ $vpa }> ({ $name })** – { $area } (Seite { $position } von { $pages })
picker-hint = Wähle im Menü alles, was passt, auch mit wenig Erfahrung – **Grundkenntnisse reichen!** Jede Wahl wird sofort gespeichert; die Stufe fragt der Bot danach.
picker-state-complete = Das Profil ist vollständig ✅
picker-state-incomplete = Noch offen: { $gaps }
picker-placeholder = Kompetenzen im Bereich { $area } wählen
picker-previous = ◀ { $area }
picker-next = { $area } ▶
picker-done = Fertig
picker-added = Gespeichert mit Grundkenntnissen: { $competences }.
picker-levels = Welche Stufe? **Grundkenntnisse reichen!** – wer mehr kann, wählt „gut“ oder „Experte“.
picker-level-placeholder = Stufe für { $competence }
picker-level-option-basic = { $competence }: Grundkenntnisse (reichen!)
picker-level-option-good = { $competence }: gut
picker-level-option-expert = { $competence }: Experte
picker-level-saved = { $competence }: { $level } gespeichert.
picker-more-later = Die Stufe von { $competences } bleibt „Grundkenntnisse“; ändern mit `/profile competence`.
picker-remove-ask = Aus dem Profil entfernen: { $competences }? Erst nach „Entfernen“ wird es gelöscht.
picker-remove-rest = Nicht mehr Platz in dieser Bestätigung: { $competences } – wähle sie danach noch einmal ab.
button-picker-remove = Entfernen
button-picker-keep = Behalten
picker-removed = Entfernt: { $competences }.
picker-continue = Weiter
picker-finished = Fertig – gespeichert ist, was du gewählt hast.
picker-unknown-value = „{ $value }“ bietet dieses Menü nicht an. Wähle eine Kompetenz aus der Liste (oder öffne die Auswahl neu mit `/profile pick`). Es wurde nichts geändert.
picker-level-not-chosen = Für „{ $competence }“ lässt sich keine Stufe setzen: die Kompetenz ist nicht (mehr) im Profil. Wähle sie zuerst im Menü des Bereichs. Es wurde nichts geändert.
