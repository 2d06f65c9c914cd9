## vpa-desk sandbox: the narration around what Discord shows
sandbox-start = == vpa-desk sandbox: the real bot against a Discord-compatible server on { $api }
sandbox-database =    database: { $url }
sandbox-pool-imported = Demo pool imported: { $count } VPAs.
sandbox-connected = Bot connected, commands registered: { $commands }
sandbox-coordinator = Coordinator
sandbox-coordinator-key = coordinator
sandbox-manager = VPA Manager
sandbox-manager-key = manager
sandbox-role-coordinator = coordinator
sandbox-role-manager = VPA manager
sandbox-role-vpa = VPA
sandbox-no-answer = (no answer from the bot)
sandbox-done = Done. Try it yourself: `vpa-desk sandbox --play` (type commands, act as anybody, move the clock). With `vpa-desk serve` and a DISCORD_TOKEN the same bot runs in your Discord.

## Where a message appears and who sees it
sandbox-typed = ▶ [{ $time }] { $line }
sandbox-private = {"   "}── private to { $who } (only { $who } sees this):
sandbox-posted-in = {"   "}── { $place }, new message (everyone there sees it):
sandbox-edited-in = {"   "}── { $place }, message changed:
sandbox-dm-posted = {"   "}── { $place }, new message:
sandbox-dm-place = DM to { $who }
sandbox-place-head = ── { $place }:
sandbox-place-empty = {"   "}(no messages yet)
sandbox-form-opened = {"   "}── { $who } sees the form “{ $title }” with { $fields } – go on with `fill "…"`.
sandbox-file-saved = {"   "}📎 { $file } saved: { $path }
sandbox-file-not-saved = {"   "}📎 { $file } could not be saved to { $path }: { $error }

## The story: what the narrator says before each line
sandbox-story-task = 1. The coordinator creates a client's task; the bot asks the VPAs who fit in the surveys channel.
sandbox-story-accept = Anna taps “Accept”.
sandbox-story-react = Ben answers with the reaction ✅ instead of the button.
sandbox-story-later = Cem taps “Later” and says from when he has time.
sandbox-story-decline = Kai taps “Decline” and picks his reason.
sandbox-story-assign = The coordinator assigns the task to Anna (German command names work too).
sandbox-story-nobody = 2. A task for a new client that nobody takes: correspondence, only Lena fits.
sandbox-story-window = Lena does not answer; four hours later the survey window closes – the VPA manager gets the notice with the playbook.
sandbox-story-extend = The coordinator picks option 1 and presses “Widen the survey”.
sandbox-story-extended-accept = Dana, who otherwise takes no new clients, accepts.
sandbox-story-assign-2 = The coordinator assigns the task to Dana.
sandbox-story-absent = 3. Anna drops out: she reports an absence beyond her task's deadline.
sandbox-story-confirm = Anna confirms; the task goes first to Ben, who had accepted it earlier.
sandbox-story-take = Ben takes it over.
sandbox-story-vt-stop = 4. Greta sets a VT stop: only 9 VPAs are free for new clients, the pool falls below its minimum.
sandbox-story-vt-stop-off = Greta ends the VT stop: the pool is healthy again.
sandbox-story-report = 5. The VPA manager fetches the pool report with its chart.

## The story's typed lines (as a newcomer would type them with --play)
sandbox-story-task-line = /task new client:"Kanzlei Berger" competence:research hours:8 deadline:{ $deadline } description:"Supplier research for purchasing, about 30 companies"
sandbox-story-accept-line = as anna accept 1
sandbox-story-react-line = as ben react 1 ✅
sandbox-story-later-line = as cem later 1 { $day }
sandbox-story-decline-line = as kai decline 1 no capacity
sandbox-story-assign-line = /task assign id:1 vpa:anna
sandbox-story-nobody-line = /task new client:"Praxis Neumann" competence:correspondence hours:6 deadline:{ $deadline } new_client:true
sandbox-story-window-line = time +4h
sandbox-story-extend-line = press "Widen the survey"
sandbox-story-extended-accept-line = as dana accept 2
sandbox-story-assign-2-line = /task assign id:2 vpa:dana
sandbox-story-absent-line = as anna /profile absent from:{ $from } until:{ $until }
sandbox-story-confirm-line = as anna press "Confirm"
sandbox-story-take-line = as ben press "Take over"
sandbox-story-vt-stop-line = as greta /profile vt-stop until:{ $until }
sandbox-story-vt-stop-off-line = as greta /profile vt-stop until:off
sandbox-story-report-line = as manager /report kind:pool

## --play: the words a line starts with (comma-separated: each works), and the places
sandbox-verbs-as = as
sandbox-verbs-help = help, ?
sandbox-verbs-quit = exit, quit
sandbox-verbs-accept = accept
sandbox-verbs-decline = decline
sandbox-verbs-later = later
sandbox-verbs-react = react
sandbox-verbs-press = press
sandbox-verbs-choose = choose
sandbox-verbs-fill = fill
sandbox-verbs-time = time
sandbox-verbs-show = show
sandbox-verbs-members = members
sandbox-places-manager = manager
sandbox-places-surveys = surveys
sandbox-places-newbies = newbies
sandbox-places-dm = dm

## --play: the prompt
sandbox-play-start =
    Your turn. Type `help` for everything, `exit` to stop. Examples:
      /task new client:"Kanzlei Berger" competence:research hours:8 deadline:08.12.2026
      as anna accept 1
      time +4h
sandbox-prompt = [{ $time }] > {""}
sandbox-help =
    What you can type (as the coordinator unless said otherwise):
      /COMMAND … OPTION:VALUE  a slash command as in Discord, e.g. /task new client:"Kanzlei Berger" competence:research hours:8 deadline:08.12.2026
      as NAME …                act as somebody else, e.g. as anna /profile show
      accept N                 answer the newest post of task N with “Accept”
      decline N REASON         “Decline” and pick the reason, e.g. decline 1 no capacity
      later N DATE             “Later” with the date from which there is time
      react N ✅               answer with a reaction (✅ ❌ ⏳)
      press "LABEL"            press the button with this label on the newest message that has it
      choose "LABEL"           choose in the newest select menu (several: choose "A" "B")
      fill "VALUE"             fill in the open form and send it
      time +4h                 move the sandbox's clock (m, h, d) so windows close and timers run
      show manager             show a channel: manager, surveys, newbies, or show dm NAME
      members                  who is on the demo server
      exit                     stop
sandbox-member-line = {"  "}{ $key } – { $name } ({ $role })
sandbox-as-usage = Like this: as NAME COMMAND, e.g. as anna accept 1. Members: { $members }
sandbox-unknown-member = “{ $name }” is nobody on the demo server. Members: { $members }
sandbox-unknown-line = I don't understand “{ $line }”. `help` shows what works.
sandbox-accept-usage = Like this: accept N – N is the task's number, e.g. accept 1.
sandbox-decline-usage = Like this: decline N REASON – e.g. decline 1 no capacity (without a reason: just “Decline”).
sandbox-later-usage = Like this: later N DATE – e.g. later 1 04.12.2026.
sandbox-react-usage = Like this: react N ✅ (or ❌, ⏳) – e.g. react 1 ✅.
sandbox-no-survey = Task #{ $task } has no open survey with this button.
sandbox-unknown-reason = There is no reason “{ $input }”. Possible: { $reasons }
sandbox-press-usage = Like this: press "LABEL" – e.g. press "Widen the survey".
sandbox-no-button = { $who } sees no button “{ $label }”. Buttons { $who } sees: { $labels }
sandbox-choose-usage = Like this: choose "LABEL" – e.g. choose "no capacity".
sandbox-no-option = No select menu offers “{ $label }”.
sandbox-no-form = { $who } has no form open.
sandbox-time-now = It is { $time } (the sandbox's clock). Move it with time +4h.
sandbox-time-usage = “{ $input }” is no time step. Like this: time +30m, time +4h, time +1d4h (at most 60 days).
sandbox-time-moved = {"   "}⏩ The clock jumps from { $from } to { $to }.
sandbox-show-usage = Like this: show manager, show surveys, show newbies or show dm NAME. Members: { $members }

## --play: what Discord's client says before it sends anything
sandbox-client-empty = Discord: type a command after “/”.
sandbox-client-unknown-command = Discord: there is no command “/{ $input }” on this server. Commands: { $known }
sandbox-client-not-allowed = Discord: { $command } is not enabled for you on this server.
sandbox-client-needs-subcommand = Discord: { $command } needs a subcommand: { $known }
sandbox-client-unknown-subcommand = Discord: { $command } has no subcommand “{ $input }”. Possible: { $known }
sandbox-client-unknown-option = Discord: { $command } has no option “{ $input }”. Options: { $known }
sandbox-client-value-without-option = Discord: “{ $input }” belongs to no option – write OPTION:VALUE. Options of { $command }: { $known }
sandbox-client-twice = Discord: the option “{ $option }” is given twice.
sandbox-client-missing = Discord: the option “{ $option }” is required.
sandbox-client-blank = Discord: the option “{ $option }” is empty.
sandbox-client-not-integer = Discord: “{ $input }” is no whole number (option “{ $option }”).
sandbox-client-not-number = Discord: “{ $input }” is no number (option “{ $option }”).
sandbox-client-not-boolean = Discord: “{ $option }” takes only True or False, not “{ $input }”.
sandbox-client-not-choice = Discord: “{ $input }” is no choice for “{ $option }”. Possible: { $known }
sandbox-client-too-small = Discord: “{ $option }” must be at least { $min }.
sandbox-client-too-large = Discord: “{ $option }” must be at most { $max }.
sandbox-client-too-short = Discord: “{ $option }” needs at least { $min } characters.
sandbox-client-too-long = Discord: “{ $option }” may have at most { $max } characters.
sandbox-client-not-member = Discord: “{ $input }” is no member of this server (option “{ $option }”). Members: { $members }
