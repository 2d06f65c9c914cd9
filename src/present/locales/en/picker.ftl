## The weekly nudge and the guided competence picker (`/profile pick`, the nudge's button)
dm-profile-nudge = Hello and welcome to the team! 👋 Your profile may still hide competences we need: please check and complete them. **Basic knowledge is enough!** That way we can offer you tasks that fit.
    Still missing: { $gaps }
button-pick-competences = Complete competences
gap-no-competence = no competence yet
gap-no-backoffice = none in the back office
gap-too-few = { $have ->
    [one] 1 competence
   *[other] { $have } competences
}, complete from { $min }
profile-complete = **Profile:** complete ✅
profile-incomplete = **Profile:** incomplete – { $gaps }. Complete it with `/profile pick`.
picker-head-own = **Complete your competences** – { $area } (page { $position } of { $pages })
picker-head-other = **Competences of <@{ $vpa }> ({ $name })** – { $area } (page { $position } of { $pages })
picker-hint = Choose everything that fits in the menu, even with little experience – **basic knowledge is enough!** Each choice is saved at once; the bot asks for the level next.
picker-state-complete = The profile is complete ✅
picker-state-incomplete = Still missing: { $gaps }
picker-placeholder = Choose competences in { $area }
picker-previous = ◀ { $area }
picker-next = { $area } ▶
picker-done = Done
picker-added = Saved with basic knowledge: { $competences }.
picker-levels = Which level? **Basic knowledge is enough!** – if you can do more, choose "good" or "expert".
picker-level-placeholder = Level for { $competence }
picker-level-option-basic = { $competence }: basic knowledge (enough!)
picker-level-option-good = { $competence }: good
picker-level-option-expert = { $competence }: expert
picker-level-saved = { $competence }: { $level } saved.
picker-more-later = The level of { $competences } stays "basic"; change it with `/profile competence`.
picker-remove-ask = Remove from the profile: { $competences }? Only "Remove" deletes it.
picker-remove-rest = No more room in this confirmation: { $competences } – deselect them again afterwards.
button-picker-remove = Remove
button-picker-keep = Keep
picker-removed = Removed: { $competences }.
picker-continue = Continue
picker-finished = Done – what you chose is saved.
picker-unknown-value = "{ $value }" is not offered by this menu. Choose a competence from the list (or open the picker again with `/profile pick`). Nothing was changed.
picker-level-not-chosen = "{ $competence }" can't get a level: the competence is not (or no longer) in the profile. Choose it in its area's menu first. Nothing was changed.
