## vpa-desk sandbox: the narration around what Discord shows
sandbox-start = == vpa-desk sandbox: the real bot against a Discord-compatible server on { $api }
sandbox-database =    database: { $url }
sandbox-pool-imported = Demo pool imported: { $count } VPAs.
sandbox-connected = Bot connected, commands registered: { $commands }
sandbox-coordinator-creates = -- Coordinator: /task new client:"Kanzlei Berger" competence:research hours:8 deadline:{ $deadline }
sandbox-demo-description = Supplier research for purchasing, about 30 companies
sandbox-private-to = {"   "}(private to { $who }) { $text }
sandbox-dm-to = {"   "}(DM to { $who })
sandbox-post = -- Post in the surveys channel:
sandbox-anna-accepts = -- Anna taps “Accept”
sandbox-ben-reacts = -- Ben reacts with ❌
sandbox-cem-later = -- Cem taps “Later” and enters { $day }
sandbox-post-live = -- The post shows the answers live:
sandbox-coordinator-dm = -- DM to the coordinator:
sandbox-coordinator = coordinator
sandbox-no-answer = (no answer)
sandbox-done = Done. With `vpa-desk serve` and a DISCORD_TOKEN the same bot runs in your Discord.
