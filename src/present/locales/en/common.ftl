# Formats and words used everywhere. A new language copies this folder and translates it;
# no Rust changes. Messages take their values as named placeables ({ $name }).

## Numbers and dates
number-decimal-separator = .
format-hours = { $value } h
format-kb = { $value } KB
format-mb = { $value } MB
format-hours-per-week = { $hours } per week (ongoing)
format-percent = { $value }%
format-utilization-none = —
format-date = { $year }-{ $month }-{ $day }
format-day-month = { $month }-{ $day }
format-day-month-time = { $month }-{ $day } { $hour }:{ $minute }
format-day-month-time-utc = { $month }-{ $day } { $hour }:{ $minute } UTC
format-quoted = “{ $text }”
format-list-separator = ,{" "}
format-and-more = { $shown } and { $more } more
format-nothing = empty
yes = yes
no = no
not-a-number = not a number

## Work areas
area-backoffice = Back office
area-secretarial = Secretarial
area-marketing = Marketing
area-sales = Sales
area-software = Software

## Task statuses
status-open = open
status-surveying = survey running
status-assigned = assigned
status-escalated = reported to the VPA manager
status-external = placed externally
status-done = done
status-split = split
status-cancelled = cancelled

## Competence levels
level-basic = basic knowledge
level-good = good
level-expert = expert

## Decline reasons
reason-no-capacity = no capacity
reason-missing-competence = missing competence
reason-no-interest = not interested
reason-deadline-too-tight = deadline too tight
reason-other = other
reason-not-given = not given

## Who may do what
only-coordinators = Only coordinators and the VPA manager may do this. Ask the VPA manager for the role if you need it.
only-manager = Only the VPA manager may do this.
only-vpas-profile = Profiles exist only for VPAs (the “VPA” role is missing).
only-vpas = Only VPAs can answer surveys (the “VPA” role is missing).
only-in-server = This command works only in the server, not in direct messages.
only-own-profile = You can see and change only your own profile. Coordinators and the VPA manager can edit other profiles.

## Errors
internal-error = Something went wrong on our side. Nothing was half-saved; please try again in a moment. If the error persists, contact the VPA manager.
database-busy = The database is busy with another process (e.g. an import), for longer than { $seconds } s. Nothing was saved; please try again in a minute.
bad-argument = The input “{ $input }” doesn't fit: { $what }. Nothing was saved.
bad-argument-unnamed = An input doesn't fit: { $what }. Nothing was saved.
already-handled = That was done already – nothing changed.
unknown-button = The bot doesn't know this button (any more).
unknown-survey = This survey no longer exists.

format-more = and { $more } more

## The outbox
delivery-failed = ⚠️ A message of the bot could not be delivered ({ $what }, item { $id }){ $answer }. `vpa-desk outbox` lists all undelivered ones; `vpa-desk outbox --requeue { $id }` delivers it again.
delivery-failed-answer = : Discord answered { $status } (code { $code })
delivery-failed-gave-up = , given up after too many attempts
delivery-kind-survey_post = survey post
delivery-kind-survey_reactions = reactions on a survey post
delivery-kind-refresh_survey_post = update of a survey post
delivery-kind-escalation_notice = notice to the VPA manager
delivery-kind-escalation_ping = reminder to the VPA manager
delivery-kind-direct = direct message
delivery-kind-pool_watch = pool health
delivery-kind-other = message
delivery-kind-delivery_failed = notice about an undelivered message
