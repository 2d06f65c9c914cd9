## Refusals
weekly-hours-invalid = Die Wochenstunden ({ $hours }) passen nicht: erlaubt sind { $min } bis { $max }. Es wurde nichts geändert.
vt-stop-invalid = „{ $input }“ ist kein gültiges Datum. Erlaubt sind TT.MM.JJJJ, JJJJ-MM-TT oder „aus“ (VT-Stop beenden). Es wurde nichts geändert.
absence-invalid = „{ $input }“ ist kein gültiges Datum. Erlaubt sind TT.MM.JJJJ oder JJJJ-MM-TT; „aus“ bei „von“ beendet die Abwesenheit. Es wurde nichts geändert.
absence-order = Das Ende ({ $until }) liegt vor dem Beginn ({ $from }). Es wurde nichts geändert.
date-in-past = Das Datum { $day } liegt in der Vergangenheit; erlaubt ist heute ({ $today }) oder später. Es wurde nichts geändert.
level-missing = Beim Hinzufügen einer Kompetenz fehlt die Stufe: wähle basic (Grundkenntnisse), good oder expert. Es wurde nichts geändert.
no-profile = <@{ $vpa }> hat noch kein VPA-Profil.

## After a change
profile-created = Dein VPA-Profil wurde angelegt (0 Wochenstunden, möchte keine Aufgaben). Lege mit `/profile schedule` fest, wie viele Stunden pro Woche du arbeiten möchtest und ob du Aufgaben und Neukunden möchtest – sonst wirst du nicht angefragt.
profile-saved = Gespeichert.
profile-unchanged = Das war schon so gespeichert – nichts geändert.
profile-deactivated = <@{ $vpa }> ist deaktiviert: zählt nicht mehr im Pool und wird nicht mehr angefragt. Ein neuer Import mit dieser Person aktiviert sie wieder.

## The profile
profile-head = **Profil von <@{ $vpa }>** ({ $name })
profile-weekly-hours = **Wochenstunden:** { $hours }
profile-wants = **Möchte Aufgaben:** { $tasks } · **möchte Neukunden:** { $new_clients }
profile-utilization = **Auslastung diese Woche:** { $utilization }
profile-vt-stop = **VT-Stop:** { $vt_stop }
profile-vt-stop-until = bis { $until }
profile-absent = **Abwesend:** { $absent }
profile-absent-range = { $from } – { $until }
profile-absent-open = ab { $from } (offen)
profile-absent-until = bis { $until }
profile-training = **Einarbeitung möglich:** { $training }
profile-newbie = **Newbie** – prüfe und ergänze deine Kompetenzen (auch Grundkenntnisse zählen).
profile-inactive = **Deaktiviert** – zählt nicht im Pool.
profile-competences = **Kompetenzen:**
profile-competences-none = keine – ergänze sie mit `/profile competence`.
profile-competences-area = • { $area }: { $competences }
profile-competence = { $name } ({ $level })

## Why a VPA was left out
exclusion-vt-stop = VT-Stop bis { $until }
exclusion-absent-until = abwesend bis { $until }
exclusion-no-tasks = möchte keine Aufgaben
exclusion-no-new-clients = möchte keine Neukunden
exclusion-no-weekly-hours = keine Wochenstunden
exclusion-no-room = keine Kapazität in der Woche ab { $week }: { $load } verplant + { $share } Aufgabe > { $weekly } Wochenstunden

## Members Discord refuses DMs to
dm-refused-mention = <@{ $member }>, du hast eine Nachricht vom vpa-desk – bitte öffne deine Direktnachrichten für diesen Server (Rechtsklick auf den Servernamen → Datenschutzeinstellungen → „Direktnachrichten“ einschalten). Danach kommt sie von selbst an.
dm-refused-for-coordinator = ⚠️ <@{ $member }> ist per Direktnachricht nicht erreichbar (Discord lässt keine DMs des Bots zu). Eine Nachricht zu Aufgabe #{ $task } kam nicht an; <@{ $member }> wurde im Kanal gebeten, die Direktnachrichten zu öffnen, und der Bot versucht es bis zu 3 Tage lang stündlich erneut. Wenn es eilt, sprich <@{ $member }> direkt an.
profile-dm-unreachable = ⚠️ Per Direktnachricht nicht erreichbar seit { $since } – bitte die Direktnachrichten für diesen Server öffnen (Rechtsklick auf den Servernamen → Datenschutzeinstellungen).

## Erasure (`/profile forget`, `vpa-desk forget`)
forget-confirm = Personenbezogene Daten von <@{ $vpa }> ({ $name }) endgültig löschen? Gelöscht werden Name, Profilangaben, Kompetenzen, der Änderungsverlauf, Notizen in Antworten, Nachrichten an und über die Person sowie Sprach- und DM-Vermerke; die Discord-ID wird überall durch eine zufällige ersetzt. Anonym bleiben { $assignments ->
    [one] 1 Zuweisung
   *[other] { $assignments } Zuweisungen
} (Stunden je Woche und Bereich) und { $answers ->
    [one] 1 Antwort
   *[other] { $answers } Antworten
} (als Zahlen), damit Berichte stimmen. Posts, die schon in Discord stehen, bleiben unverändert. Das lässt sich nicht rückgängig machen.
button-forget = Endgültig löschen
forget-done = Gelöscht. Anonym erhalten: { $assignments ->
    [one] 1 Zuweisung
   *[other] { $assignments } Zuweisungen
}, { $answers ->
    [one] 1 Antwort
   *[other] { $answers } Antworten
}. Posts in Discord sind unverändert; Sicherungen von vorher enthalten die Daten noch.
forget-active = <@{ $vpa }> ist noch aktiv. Erst `/profile deactivate` (das übergibt die Aufgaben), dann löschen.
