#compdef schedctl

autoload -U is-at-least

_schedctl() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_schedctl_commands" \
"*::: :->schedctl" \
&& ret=0
    case $state in
    (schedctl)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-command-$line[1]:"
        case $line[1] in
            (job)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_schedctl__subcmd__job_commands" \
"*::: :->job" \
&& ret=0

    case $state in
    (job)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-job-command-$line[1]:"
        case $line[1] in
            (save)
_arguments "${_arguments_options[@]}" : \
'--cron=[When to run\: 5 fields (\`min hour day month weekday\`), 6 with seconds first, a macro like \`@daily\`, or \`@every 90s\`]:EXPR:_default' \
'--command=[The command, run as \`sh -c CMD\` on a worker]:CMD:_default' \
'(--cron --command --timeout --disabled --timezone --description --overlap)-f+[Read the job from a YAML or JSON file (\`-\` for stdin) holding one job]:FILE|-:_files' \
'(--cron --command --timeout --disabled --timezone --description --overlap)--file=[Read the job from a YAML or JSON file (\`-\` for stdin) holding one job]:FILE|-:_files' \
'--timeout=[Kill a run after this long\: \`30s\`, \`2m\`, \`1h30m\` or a number of seconds; 0 for none]:DURATION:_default' \
'--timezone=[IANA time zone the cron expression is read in (default\: the cluster'\''s)]:TZ:_default' \
'--description=[Free text shown in \`job get\`]:TEXT:_default' \
'--overlap=[What to do when a tick comes while the previous run is still going]:OVERLAP:((allow\:"Start the new run beside the old one"
forbid\:"Skip the tick"
replace\:"Kill the running one, then start the new run"))' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--disabled[Store the job without scheduling it]' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::name -- Job name\: letters, digits, `.`, `_` and `-`, starting with a letter or digit:_default' \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
'-k+[Case-insensitive substring of the name, command or description]:KEYWORD:_default' \
'--keyword=[Case-insensitive substring of the name, command or description]:KEYWORD:_default' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(get)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(enable)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(kill)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(next)
_arguments "${_arguments_options[@]}" : \
'-n+[How many fire times to show]:COUNT:_default' \
'--count=[How many fire times to show]:COUNT:_default' \
'()--cron=[Try an expression instead of a stored job]:EXPR:_default' \
'--timezone=[With --cron\: the IANA zone to read it in (default\: the cluster'\''s)]:TZ:_default' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::name -- The job'\''s name:_default' \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
'--format=[The file format]:FORMAT:(yaml json)' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::names -- The jobs to export, in this order; every job (by name) when none is given:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__job__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-job-help-command-$line[1]:"
        case $line[1] in
            (save)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(get)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(enable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(kill)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(next)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(log)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_schedctl__subcmd__log_commands" \
"*::: :->log" \
&& ret=0

    case $state in
    (log)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-log-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'--job=[Only this job'\''s records]:NAME:_default' \
'--page=[Which page, from 1]:PAGE:_default' \
'--page-size=[Records per page, at most 500 (default\: the server'\''s, 20)]:PAGE_SIZE:_default' \
'--status=[Only runs that ended so; \`running\` lists the runs going on now instead]:STATUS:((success\:""
failed\:""
timeout\:""
killed\:""
skipped\:"Recorded without running\: overlap \`forbid\`, or a tick too late to catch up"
lost\:"Interrupted by the death of its worker"
running\:""))' \
'--since=[Only runs that started at or after this\: an RFC 3339 time (\`2026-11-25T08\:00\:00Z\`) or a duration ago (\`90m\`, \`2h\`, \`7d\`)]:TIME:_default' \
'--until=[Only runs that started before this (same forms as --since)]:TIME:_default' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(get)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
'--days=[How many days back, at most 366]:DAYS:_default' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::name -- The job'\''s name; all jobs when left out:_default' \
&& ret=0
;;
(tail)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'-f[Keep following later runs of the job until interrupted]' \
'--follow[Keep following later runs of the job until interrupted]' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The job'\''s name:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__log__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-log-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(get)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(tail)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(worker)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_schedctl__subcmd__worker_commands" \
"*::: :->worker" \
&& ret=0

    case $state in
    (worker)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-worker-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__worker__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-worker-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(apply)
_arguments "${_arguments_options[@]}" : \
'*-f+[A job file, a directory of them, or \`-\` for stdin; repeat for more]:FILE|DIR|-:_files' \
'*--file=[A job file, a directory of them, or \`-\` for stdin; repeat for more]:FILE|DIR|-:_files' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--prune[Also delete the jobs on the master that no file names]' \
'--dry-run[Print what would change, and change nothing]' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
'*-f+[A job file, a directory of them, or \`-\` for stdin; repeat for more]:FILE|DIR|-:_files' \
'*--file=[A job file, a directory of them, or \`-\` for stdin; repeat for more]:FILE|DIR|-:_files' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--prune[Also show the jobs on the master that no file names (what \`apply --prune\` deletes)]' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(cron)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_schedctl__subcmd__cron_commands" \
"*::: :->cron" \
&& ret=0

    case $state in
    (cron)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-cron-command-$line[1]:"
        case $line[1] in
            (explain)
_arguments "${_arguments_options[@]}" : \
'-n+[How many fire times to show]:COUNT:_default' \
'--count=[How many fire times to show]:COUNT:_default' \
'--timezone=[IANA zone to read the expression in, unless it has a \`TZ=\` prefix (default\: UTC; the master'\''s own default is its --timezone)]:TZ:_default' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':expr -- The expression, quoted\: 5-7 fields, a macro like `@daily`, or `@every 90s`:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__cron__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-cron-help-command-$line[1]:"
        case $line[1] in
            (explain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(dashboard)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(config)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_schedctl__subcmd__config_commands" \
"*::: :->config" \
&& ret=0

    case $state in
    (config)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-config-command-$line[1]:"
        case $line[1] in
            (get-contexts)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(current-context)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(use-context)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The context'\''s name:_default' \
&& ret=0
;;
(set-context)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The context'\''s name:_default' \
&& ret=0
;;
(delete-context)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The context'\''s name:_default' \
&& ret=0
;;
(view)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__config__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-config-help-command-$line[1]:"
        case $line[1] in
            (get-contexts)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(current-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(use-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(set-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(view)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':shell -- The shell to complete for:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'--dir=[Write every page into this directory (created if missing) instead of printing \`schedctl.1\`]:DIR:_files' \
'--endpoint=[gRPC address of the schedd master (\`http\://host\:port\`; \`host\:port\` means http) \[env\: SCHEDCTL_ENDPOINT\] \[default\: the context'\''s, else http\://127.0.0.1\:8070\]]:URL:_default' \
'--token=[Bearer token sent with every call as \`authorization\: Bearer TOKEN\` \[env\: SCHEDCTL_TOKEN\]]:TOKEN:_default' \
'--context=[Use this context of the config file instead of the current one \[env\: SCHEDCTL_CONTEXT\]]:NAME:_default' \
'-o+[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--output=[Output format\: tables (\`table\`, \`wide\` with more columns), \`json\` or \`yaml\` with the old system'\''s field names, or \`name\` (one name or id per line)]:OUTPUT:((table\:"Aligned columns for people"
wide\:"The table with more columns (time zone, revision, worker id, error, labels, ...)"
json\:"The objects with the old system'\''s field names, pretty-printed"
yaml\:"The same objects as \`json\`, in YAML"
name\:"One name or id per line\: job names, execution ids, worker ids"))' \
'--color=[Colour status words\: \`auto\` when stdout is a terminal and NO_COLOR is not set]:WHEN:((auto\:"Only when stdout is a terminal and \`NO_COLOR\` is not set"
always\:"Even into a pipe or a file, and despite \`NO_COLOR\`"
never\:"Never"))' \
'--request-timeout=[How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)]:DURATION:_default' \
'--no-headers[Leave out the header line of tables]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-help-command-$line[1]:"
        case $line[1] in
            (job)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__help__subcmd__job_commands" \
"*::: :->job" \
&& ret=0

    case $state in
    (job)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-help-job-command-$line[1]:"
        case $line[1] in
            (save)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(get)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(enable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(kill)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(next)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(log)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__help__subcmd__log_commands" \
"*::: :->log" \
&& ret=0

    case $state in
    (log)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-help-log-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(get)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(tail)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(worker)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__help__subcmd__worker_commands" \
"*::: :->worker" \
&& ret=0

    case $state in
    (worker)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-help-worker-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(apply)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(cron)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__help__subcmd__cron_commands" \
"*::: :->cron" \
&& ret=0

    case $state in
    (cron)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-help-cron-command-$line[1]:"
        case $line[1] in
            (explain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(dashboard)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(config)
_arguments "${_arguments_options[@]}" : \
":: :_schedctl__subcmd__help__subcmd__config_commands" \
"*::: :->config" \
&& ret=0

    case $state in
    (config)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:schedctl-help-config-command-$line[1]:"
        case $line[1] in
            (get-contexts)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(current-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(use-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(set-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete-context)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(view)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_schedctl_commands] )) ||
_schedctl_commands() {
    local commands; commands=(
'job:Create, inspect, run and remove jobs' \
'log:Read execution records and their statistics' \
'worker:Inspect the workers that run jobs' \
'apply:Create or update jobs from files and print what changed' \
'diff:Show how job files differ from the jobs on the master; exit 1 when they differ' \
'cron:Work with cron expressions, offline' \
'dashboard:Live dashboard of jobs, executions and workers' \
'version:Show the versions of schedctl and of the master' \
'config:Manage named contexts (endpoint, token) in the config file' \
'completions:Print a shell completion script' \
'man:Write man pages' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__apply_commands] )) ||
_schedctl__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl apply commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__completions_commands] )) ||
_schedctl__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl completions commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config_commands] )) ||
_schedctl__subcmd__config_commands() {
    local commands; commands=(
'get-contexts:List the contexts; \`*\` marks the current one' \
'current-context:Print the name of the current context' \
'use-context:Make a context the current one, used when no --context is given' \
'set-context:Create or update a context from the global --endpoint and --token flags' \
'delete-context:Remove a context (and unset it when it is the current one)' \
'view:Print the config file with tokens redacted (YAML unless -o json)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl config commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__current-context_commands] )) ||
_schedctl__subcmd__config__subcmd__current-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config current-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__delete-context_commands] )) ||
_schedctl__subcmd__config__subcmd__delete-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config delete-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__get-contexts_commands] )) ||
_schedctl__subcmd__config__subcmd__get-contexts_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config get-contexts commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help_commands] )) ||
_schedctl__subcmd__config__subcmd__help_commands() {
    local commands; commands=(
'get-contexts:List the contexts; \`*\` marks the current one' \
'current-context:Print the name of the current context' \
'use-context:Make a context the current one, used when no --context is given' \
'set-context:Create or update a context from the global --endpoint and --token flags' \
'delete-context:Remove a context (and unset it when it is the current one)' \
'view:Print the config file with tokens redacted (YAML unless -o json)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl config help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__current-context_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__current-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help current-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__delete-context_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__delete-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help delete-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__get-contexts_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__get-contexts_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help get-contexts commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__help_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__set-context_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__set-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help set-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__use-context_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__use-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help use-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__help__subcmd__view_commands] )) ||
_schedctl__subcmd__config__subcmd__help__subcmd__view_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config help view commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__set-context_commands] )) ||
_schedctl__subcmd__config__subcmd__set-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config set-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__use-context_commands] )) ||
_schedctl__subcmd__config__subcmd__use-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config use-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__config__subcmd__view_commands] )) ||
_schedctl__subcmd__config__subcmd__view_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl config view commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__cron_commands] )) ||
_schedctl__subcmd__cron_commands() {
    local commands; commands=(
'explain:Explain a cron expression in words and show its next fire times (needs no master)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl cron commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__cron__subcmd__explain_commands] )) ||
_schedctl__subcmd__cron__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl cron explain commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__cron__subcmd__help_commands] )) ||
_schedctl__subcmd__cron__subcmd__help_commands() {
    local commands; commands=(
'explain:Explain a cron expression in words and show its next fire times (needs no master)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl cron help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__cron__subcmd__help__subcmd__explain_commands] )) ||
_schedctl__subcmd__cron__subcmd__help__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl cron help explain commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__cron__subcmd__help__subcmd__help_commands] )) ||
_schedctl__subcmd__cron__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl cron help help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__dashboard_commands] )) ||
_schedctl__subcmd__dashboard_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl dashboard commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__diff_commands] )) ||
_schedctl__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl diff commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help_commands] )) ||
_schedctl__subcmd__help_commands() {
    local commands; commands=(
'job:Create, inspect, run and remove jobs' \
'log:Read execution records and their statistics' \
'worker:Inspect the workers that run jobs' \
'apply:Create or update jobs from files and print what changed' \
'diff:Show how job files differ from the jobs on the master; exit 1 when they differ' \
'cron:Work with cron expressions, offline' \
'dashboard:Live dashboard of jobs, executions and workers' \
'version:Show the versions of schedctl and of the master' \
'config:Manage named contexts (endpoint, token) in the config file' \
'completions:Print a shell completion script' \
'man:Write man pages' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__apply_commands] )) ||
_schedctl__subcmd__help__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help apply commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__completions_commands] )) ||
_schedctl__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help completions commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config_commands] )) ||
_schedctl__subcmd__help__subcmd__config_commands() {
    local commands; commands=(
'get-contexts:List the contexts; \`*\` marks the current one' \
'current-context:Print the name of the current context' \
'use-context:Make a context the current one, used when no --context is given' \
'set-context:Create or update a context from the global --endpoint and --token flags' \
'delete-context:Remove a context (and unset it when it is the current one)' \
'view:Print the config file with tokens redacted (YAML unless -o json)' \
    )
    _describe -t commands 'schedctl help config commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config__subcmd__current-context_commands] )) ||
_schedctl__subcmd__help__subcmd__config__subcmd__current-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help config current-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config__subcmd__delete-context_commands] )) ||
_schedctl__subcmd__help__subcmd__config__subcmd__delete-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help config delete-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config__subcmd__get-contexts_commands] )) ||
_schedctl__subcmd__help__subcmd__config__subcmd__get-contexts_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help config get-contexts commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config__subcmd__set-context_commands] )) ||
_schedctl__subcmd__help__subcmd__config__subcmd__set-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help config set-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config__subcmd__use-context_commands] )) ||
_schedctl__subcmd__help__subcmd__config__subcmd__use-context_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help config use-context commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__config__subcmd__view_commands] )) ||
_schedctl__subcmd__help__subcmd__config__subcmd__view_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help config view commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__cron_commands] )) ||
_schedctl__subcmd__help__subcmd__cron_commands() {
    local commands; commands=(
'explain:Explain a cron expression in words and show its next fire times (needs no master)' \
    )
    _describe -t commands 'schedctl help cron commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__cron__subcmd__explain_commands] )) ||
_schedctl__subcmd__help__subcmd__cron__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help cron explain commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__dashboard_commands] )) ||
_schedctl__subcmd__help__subcmd__dashboard_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help dashboard commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__diff_commands] )) ||
_schedctl__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help diff commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__help_commands] )) ||
_schedctl__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job_commands] )) ||
_schedctl__subcmd__help__subcmd__job_commands() {
    local commands; commands=(
'save:Create a job, or replace it whole if one of that name exists' \
'list:List jobs, optionally only those matching a keyword' \
'get:Show one job with all its settings' \
'delete:Delete a job. Runs already going are not killed (see \`job kill\`); records are kept' \
'enable:Schedule a disabled job again' \
'disable:Stop scheduling a job without deleting it. A run already going is not killed' \
'kill:Kill the job'\''s running executions on every worker. The job stays scheduled' \
'run:Run a job now, once, outside its schedule, and print the execution id' \
'next:Show when a job will run next, or when a cron expression would fire' \
'export:Print jobs as a job file\: YAML documents (the default) or a JSON array' \
    )
    _describe -t commands 'schedctl help job commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__delete_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job delete commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__disable_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job disable commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__enable_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job enable commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__export_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job export commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__get_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job get commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__kill_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__kill_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job kill commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__list_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__next_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__next_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job next commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__run_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job run commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__job__subcmd__save_commands] )) ||
_schedctl__subcmd__help__subcmd__job__subcmd__save_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help job save commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__log_commands] )) ||
_schedctl__subcmd__help__subcmd__log_commands() {
    local commands; commands=(
'list:List execution records, newest first, a page at a time' \
'get:Show the latest execution record of a job, with its output' \
'stats:Count runs by outcome over the last days, for one job or for all' \
'tail:Show a job'\''s output as it runs, then the result' \
    )
    _describe -t commands 'schedctl help log commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__log__subcmd__get_commands] )) ||
_schedctl__subcmd__help__subcmd__log__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help log get commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__log__subcmd__list_commands] )) ||
_schedctl__subcmd__help__subcmd__log__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help log list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__log__subcmd__stats_commands] )) ||
_schedctl__subcmd__help__subcmd__log__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help log stats commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__log__subcmd__tail_commands] )) ||
_schedctl__subcmd__help__subcmd__log__subcmd__tail_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help log tail commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__man_commands] )) ||
_schedctl__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help man commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__version_commands] )) ||
_schedctl__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help version commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__worker_commands] )) ||
_schedctl__subcmd__help__subcmd__worker_commands() {
    local commands; commands=(
'list:List the workers the master knows, online or not' \
'stats:Show how many workers are online and how busy they are' \
    )
    _describe -t commands 'schedctl help worker commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__worker__subcmd__list_commands] )) ||
_schedctl__subcmd__help__subcmd__worker__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help worker list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__help__subcmd__worker__subcmd__stats_commands] )) ||
_schedctl__subcmd__help__subcmd__worker__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl help worker stats commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job_commands] )) ||
_schedctl__subcmd__job_commands() {
    local commands; commands=(
'save:Create a job, or replace it whole if one of that name exists' \
'list:List jobs, optionally only those matching a keyword' \
'get:Show one job with all its settings' \
'delete:Delete a job. Runs already going are not killed (see \`job kill\`); records are kept' \
'enable:Schedule a disabled job again' \
'disable:Stop scheduling a job without deleting it. A run already going is not killed' \
'kill:Kill the job'\''s running executions on every worker. The job stays scheduled' \
'run:Run a job now, once, outside its schedule, and print the execution id' \
'next:Show when a job will run next, or when a cron expression would fire' \
'export:Print jobs as a job file\: YAML documents (the default) or a JSON array' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl job commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__delete_commands] )) ||
_schedctl__subcmd__job__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job delete commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__disable_commands] )) ||
_schedctl__subcmd__job__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job disable commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__enable_commands] )) ||
_schedctl__subcmd__job__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job enable commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__export_commands] )) ||
_schedctl__subcmd__job__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job export commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__get_commands] )) ||
_schedctl__subcmd__job__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job get commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help_commands] )) ||
_schedctl__subcmd__job__subcmd__help_commands() {
    local commands; commands=(
'save:Create a job, or replace it whole if one of that name exists' \
'list:List jobs, optionally only those matching a keyword' \
'get:Show one job with all its settings' \
'delete:Delete a job. Runs already going are not killed (see \`job kill\`); records are kept' \
'enable:Schedule a disabled job again' \
'disable:Stop scheduling a job without deleting it. A run already going is not killed' \
'kill:Kill the job'\''s running executions on every worker. The job stays scheduled' \
'run:Run a job now, once, outside its schedule, and print the execution id' \
'next:Show when a job will run next, or when a cron expression would fire' \
'export:Print jobs as a job file\: YAML documents (the default) or a JSON array' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl job help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__delete_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help delete commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__disable_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help disable commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__enable_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help enable commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__export_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help export commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__get_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help get commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__help_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__kill_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__kill_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help kill commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__list_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__next_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__next_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help next commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__run_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help run commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__help__subcmd__save_commands] )) ||
_schedctl__subcmd__job__subcmd__help__subcmd__save_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job help save commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__kill_commands] )) ||
_schedctl__subcmd__job__subcmd__kill_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job kill commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__list_commands] )) ||
_schedctl__subcmd__job__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__next_commands] )) ||
_schedctl__subcmd__job__subcmd__next_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job next commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__run_commands] )) ||
_schedctl__subcmd__job__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job run commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__job__subcmd__save_commands] )) ||
_schedctl__subcmd__job__subcmd__save_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl job save commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log_commands] )) ||
_schedctl__subcmd__log_commands() {
    local commands; commands=(
'list:List execution records, newest first, a page at a time' \
'get:Show the latest execution record of a job, with its output' \
'stats:Count runs by outcome over the last days, for one job or for all' \
'tail:Show a job'\''s output as it runs, then the result' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl log commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__get_commands] )) ||
_schedctl__subcmd__log__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log get commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__help_commands] )) ||
_schedctl__subcmd__log__subcmd__help_commands() {
    local commands; commands=(
'list:List execution records, newest first, a page at a time' \
'get:Show the latest execution record of a job, with its output' \
'stats:Count runs by outcome over the last days, for one job or for all' \
'tail:Show a job'\''s output as it runs, then the result' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl log help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__help__subcmd__get_commands] )) ||
_schedctl__subcmd__log__subcmd__help__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log help get commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__help__subcmd__help_commands] )) ||
_schedctl__subcmd__log__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log help help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__help__subcmd__list_commands] )) ||
_schedctl__subcmd__log__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log help list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__help__subcmd__stats_commands] )) ||
_schedctl__subcmd__log__subcmd__help__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log help stats commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__help__subcmd__tail_commands] )) ||
_schedctl__subcmd__log__subcmd__help__subcmd__tail_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log help tail commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__list_commands] )) ||
_schedctl__subcmd__log__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__stats_commands] )) ||
_schedctl__subcmd__log__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log stats commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__log__subcmd__tail_commands] )) ||
_schedctl__subcmd__log__subcmd__tail_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl log tail commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__man_commands] )) ||
_schedctl__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl man commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__version_commands] )) ||
_schedctl__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl version commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker_commands] )) ||
_schedctl__subcmd__worker_commands() {
    local commands; commands=(
'list:List the workers the master knows, online or not' \
'stats:Show how many workers are online and how busy they are' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl worker commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker__subcmd__help_commands] )) ||
_schedctl__subcmd__worker__subcmd__help_commands() {
    local commands; commands=(
'list:List the workers the master knows, online or not' \
'stats:Show how many workers are online and how busy they are' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'schedctl worker help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker__subcmd__help__subcmd__help_commands] )) ||
_schedctl__subcmd__worker__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl worker help help commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker__subcmd__help__subcmd__list_commands] )) ||
_schedctl__subcmd__worker__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl worker help list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker__subcmd__help__subcmd__stats_commands] )) ||
_schedctl__subcmd__worker__subcmd__help__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl worker help stats commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker__subcmd__list_commands] )) ||
_schedctl__subcmd__worker__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl worker list commands' commands "$@"
}
(( $+functions[_schedctl__subcmd__worker__subcmd__stats_commands] )) ||
_schedctl__subcmd__worker__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'schedctl worker stats commands' commands "$@"
}

if [ "$funcstack[1]" = "_schedctl" ]; then
    _schedctl "$@"
else
    compdef _schedctl schedctl
fi
