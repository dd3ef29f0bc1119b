# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_schedctl_global_optspecs
    string join \n endpoint= token= ca-file= context= o/output= no-headers color= request-timeout= h/help V/version
end

function __fish_schedctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_schedctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_schedctl_using_subcommand
    set -l cmd (__fish_schedctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c schedctl -n "__fish_schedctl_needs_command" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_needs_command" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_needs_command" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_needs_command" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_needs_command" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_needs_command" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_needs_command" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_needs_command" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_needs_command" -s V -l version -d 'Print version'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "job" -d 'Create, inspect, run and remove jobs'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "log" -d 'Read execution records and their statistics'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "worker" -d 'Inspect the workers that run jobs'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "apply" -d 'Create or update jobs from files and print what changed'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "audit" -d 'Read the audit trail: who changed which job, when and from where'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "diff" -d 'Show how job files differ from the jobs on the master; exit 1 when they differ'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "cron" -d 'Work with cron expressions, offline'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "dashboard" -d 'Live dashboard of jobs, executions and workers'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "version" -d 'Show the versions of schedctl and of the master'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "config" -d 'Manage named contexts (endpoint, token) in the config file'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "man" -d 'Write man pages'
complete -c schedctl -n "__fish_schedctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "save" -d 'Create a job, or replace it whole if one of that name exists'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "list" -d 'List jobs, optionally only those matching a keyword'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "get" -d 'Show one job with all its settings'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "delete" -d 'Delete a job. Runs already going are not killed (see `job kill`); records are kept'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "enable" -d 'Schedule a disabled job again'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "disable" -d 'Stop scheduling a job without deleting it. A run already going is not killed'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "kill" -d 'Kill the job\'s running executions on every worker. The job stays scheduled'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "run" -d 'Run a job now, once, outside its schedule, and print the execution id'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "next" -d 'Show when a job will run next, or when a cron expression would fire'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "export" -d 'Print jobs as a job file: YAML documents (the default) or a JSON array'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and not __fish_seen_subcommand_from save list get delete enable disable kill run next export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l cron -d 'When to run: 5 fields (`min hour day month weekday`), 6 with seconds first, a macro like `@daily`, or `@every 90s`' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l command -d 'The command, run as `sh -c CMD` on a worker' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -s f -l file -d 'Read the job from a YAML or JSON file (`-` for stdin) holding one job' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l timeout -d 'Kill a run after this long: `30s`, `2m`, `1h30m` or a number of seconds; 0 for none' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l timezone -d 'IANA time zone the cron expression is read in (default: the cluster\'s)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l description -d 'Free text shown in `job get`' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l overlap -d 'What to do when a tick comes while the previous run is still going' -r -f -a "allow\t'Start the new run beside the old one'
forbid\t'Skip the tick'
replace\t'Kill the running one, then start the new run'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l run-on -d 'Which workers run each tick: one, or every online one (a broadcast job), each run with SCHEDD_SHARD_INDEX (from 0) and SCHEDD_SHARD_TOTAL in its environment; `log list --tick TIME` lists the runs of one tick' -r -f -a "one\t'One worker of those matching the job\'s selector'
all\t'Every online worker matching the job\'s selector (broadcast)'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l on-success -d 'A job to run (trigger `dependency`) when a run of this one succeeds, after its retries; repeat the flag or separate names with commas' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l on-failure -d 'A job to run (trigger `dependency`) when a run of this one fails or times out, after its retries; repeat the flag or separate names with commas' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l http-url -d 'Make an HTTP job: request this http or https URL on each run instead of running a command. Secrets in it (a password, `?token=...`) are hidden where the job is shown, but for `-o json`/`-o yaml` and `job export`' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l http-method -d 'The request\'s method, in any case [default: GET]' -r -f -a "GET\t''
HEAD\t''
POST\t''
PUT\t''
PATCH\t''
DELETE\t''
OPTIONS\t''"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l http-header -d 'A request header, `Name: value`; repeat the flag for more. Values of headers like Authorization, Cookie or X-Api-Key are hidden as the URL\'s secrets are' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l http-body -d 'The request body; `@FILE` sends the contents of FILE (so a body that starts with `@` has to come from a file)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l expect-status -d 'A status that counts as success: repeat the flag or separate them with commas (`200,204`) [default: any 2xx]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l http-timeout -d 'Give up on the request after this long (as for --timeout); 0 or left out: the job\'s --timeout bounds it' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l notify -d 'A webhook (an http or https URL) to POST a JSON notice to; repeat the flag for more. Secrets in it (`?token=...`) are hidden where the job is shown, but for `-o json`/`-o yaml` and `job export`' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l notify-on -d 'What every --notify webhook is told of: repeat the flag or separate events with commas [default: failure,timeout,recovery,lost]' -r -f -a "failure\t''
timeout\t''
recovery\t''
skipped\t''
lost\t''
overdue\t''"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l notify-header -d 'A header sent to every --notify webhook, `Name: value`; repeat the flag for more. Values of headers like Authorization are hidden as the URL\'s secrets are' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l expected -d 'How long a run is expected to take (as for --timeout): a run still going after it sends an `overdue` notice to the webhooks that ask for one (--notify-on overdue); 0 or left out: never' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l disabled -d 'Store the job without scheduling it'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -s k -l keyword -d 'Case-insensitive substring of the name, command or description' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -s n -l count -d 'How many fire times to show' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l cron -d 'Try an expression instead of a stored job' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l timezone -d 'With --cron: the IANA zone to read it in (default: the cluster\'s)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from next" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l format -d 'The file format' -r -f -a "yaml\t''
json\t''"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "save" -d 'Create a job, or replace it whole if one of that name exists'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "list" -d 'List jobs, optionally only those matching a keyword'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show one job with all its settings'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a job. Runs already going are not killed (see `job kill`); records are kept'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Schedule a disabled job again'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Stop scheduling a job without deleting it. A run already going is not killed'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Kill the job\'s running executions on every worker. The job stays scheduled'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a job now, once, outside its schedule, and print the execution id'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "next" -d 'Show when a job will run next, or when a cron expression would fire'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print jobs as a job file: YAML documents (the default) or a JSON array'
complete -c schedctl -n "__fish_schedctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -f -a "list" -d 'List execution records, newest first, a page at a time'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -f -a "get" -d 'Show the latest execution record of a job, with its output'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -f -a "stats" -d 'Count runs by outcome over the last days, for one job or for all'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -f -a "tail" -d 'Show a job\'s output as it runs, then the result'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and not __fish_seen_subcommand_from list get stats tail help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l job -d 'Only this job\'s records' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l page -d 'Which page, from 1' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l page-size -d 'Records per page, at most 500 (default: the server\'s, 20)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l status -d 'Only runs that ended so; `running` lists the runs going on now instead' -r -f -a "success\t''
failed\t''
timeout\t''
killed\t''
skipped\t'Recorded without running: overlap `forbid`, or a tick too late to catch up'
lost\t'Interrupted by the death of its worker'
running\t''"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l since -d 'Only runs that started at or after this: an RFC 3339 time (`2026-11-25T08:00:00Z`) or a duration ago (`90m`, `2h`, `7d`)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l until -d 'Only runs that started before this (same forms as --since)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l tick -d 'Only the runs of the tick planned at this time, to the second (same forms as --since): every worker\'s run of a tick of a broadcast job, or a tick and its retries' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l days -d 'How many days back, at most 366' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -s f -l follow -d 'Keep following later runs of the job until interrupted'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "list" -d 'List execution records, newest first, a page at a time'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show the latest execution record of a job, with its output'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Count runs by outcome over the last days, for one job or for all'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "tail" -d 'Show a job\'s output as it runs, then the result'
complete -c schedctl -n "__fish_schedctl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -f -a "list" -d 'List the workers the master knows, online or not'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -f -a "stats" -d 'Show how many workers are online and how busy they are'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and not __fish_seen_subcommand_from list stats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the workers the master knows, online or not'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Show how many workers are online and how busy they are'
complete -c schedctl -n "__fish_schedctl_using_subcommand worker; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -s f -l file -d 'A job file, a directory of them, or `-` for stdin; repeat for more' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l prune -d 'Also delete the jobs on the master that no file names'
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l dry-run -d 'Print what would change, and change nothing'
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List changes made to jobs and tokens, newest first: who (the token\'s name), from where, what, and what changed in the job. Attempts that failed are listed too'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l job -d 'Only changes to this job (or token)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l actor -d 'Only changes made with this token' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l action -d 'Only this kind of change' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Only changes at or after this: an RFC 3339 time or a duration ago (`90m`, `7d`)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l until -d 'Only changes before this (same forms as --since)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l page -d 'Which page, from 1' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l page-size -d 'Entries per page, at most 500 (default: the server\'s, 50)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List changes made to jobs and tokens, newest first: who (the token\'s name), from where, what, and what changed in the job. Attempts that failed are listed too'
complete -c schedctl -n "__fish_schedctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -s f -l file -d 'A job file, a directory of them, or `-` for stdin; repeat for more' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l prune -d 'Also show the jobs on the master that no file names (what `apply --prune` deletes)'
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -f -a "explain" -d 'Explain a cron expression in words and show its next fire times (needs no master)'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and not __fish_seen_subcommand_from explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -s n -l count -d 'How many fire times to show' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l timezone -d 'IANA zone to read the expression in, unless it has a `TZ=` prefix (default: UTC; the master\'s own default is its --timezone)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Explain a cron expression in words and show its next fire times (needs no master)'
complete -c schedctl -n "__fish_schedctl_using_subcommand cron; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "get-contexts" -d 'List the contexts; `*` marks the current one'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "current-context" -d 'Print the name of the current context'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "use-context" -d 'Make a context the current one, used when no --context is given'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "set-context" -d 'Create or update a context from the global --endpoint and --token flags'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "delete-context" -d 'Remove a context (and unset it when it is the current one)'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "view" -d 'Print the config file with tokens redacted (YAML unless -o json)'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and not __fish_seen_subcommand_from get-contexts current-context use-context set-context delete-context view help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from current-context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from set-context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from delete-context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from view" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get-contexts" -d 'List the contexts; `*` marks the current one'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "current-context" -d 'Print the name of the current context'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "use-context" -d 'Make a context the current one, used when no --context is given'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set-context" -d 'Create or update a context from the global --endpoint and --token flags'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "delete-context" -d 'Remove a context (and unset it when it is the current one)'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "view" -d 'Print the config file with tokens redacted (YAML unless -o json)'
complete -c schedctl -n "__fish_schedctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l dir -d 'Write every page into this directory (created if missing) instead of printing `schedctl.1`' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l endpoint -d 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context\'s, else http://127.0.0.1:8070]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l token -d 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l ca-file -d 'CA certificate (PEM) that signed an `https://` master\'s certificate; without it the system\'s roots are trusted' -r -F
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l context -d 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -s o -l output -d 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system\'s field names, or `name` (one name or id per line)' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (time zone, revision, worker id, error, labels, ...)'
json\t'The objects with the old system\'s field names, pretty-printed'
yaml\t'The same objects as `json`, in YAML'
name\t'One name or id per line: job names, execution ids, worker ids'"
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l color -d 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set' -r -f -a "auto\t'Only when stdout is a terminal and `NO_COLOR` is not set'
always\t'Even into a pipe or a file, and despite `NO_COLOR`'
never\t'Never'"
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l request-timeout -d 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)' -r
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -l no-headers -d 'Leave out the header line of tables'
complete -c schedctl -n "__fish_schedctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "job" -d 'Create, inspect, run and remove jobs'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "log" -d 'Read execution records and their statistics'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "worker" -d 'Inspect the workers that run jobs'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "apply" -d 'Create or update jobs from files and print what changed'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "audit" -d 'Read the audit trail: who changed which job, when and from where'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "diff" -d 'Show how job files differ from the jobs on the master; exit 1 when they differ'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "cron" -d 'Work with cron expressions, offline'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "dashboard" -d 'Live dashboard of jobs, executions and workers'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "version" -d 'Show the versions of schedctl and of the master'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "config" -d 'Manage named contexts (endpoint, token) in the config file'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "man" -d 'Write man pages'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and not __fish_seen_subcommand_from job log worker apply audit diff cron dashboard version config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "save" -d 'Create a job, or replace it whole if one of that name exists'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "list" -d 'List jobs, optionally only those matching a keyword'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "get" -d 'Show one job with all its settings'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "delete" -d 'Delete a job. Runs already going are not killed (see `job kill`); records are kept'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "enable" -d 'Schedule a disabled job again'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "disable" -d 'Stop scheduling a job without deleting it. A run already going is not killed'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "kill" -d 'Kill the job\'s running executions on every worker. The job stays scheduled'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "run" -d 'Run a job now, once, outside its schedule, and print the execution id'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "next" -d 'Show when a job will run next, or when a cron expression would fire'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "export" -d 'Print jobs as a job file: YAML documents (the default) or a JSON array'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "list" -d 'List execution records, newest first, a page at a time'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "get" -d 'Show the latest execution record of a job, with its output'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "stats" -d 'Count runs by outcome over the last days, for one job or for all'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "tail" -d 'Show a job\'s output as it runs, then the result'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from worker" -f -a "list" -d 'List the workers the master knows, online or not'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from worker" -f -a "stats" -d 'Show how many workers are online and how busy they are'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List changes made to jobs and tokens, newest first: who (the token\'s name), from where, what, and what changed in the job. Attempts that failed are listed too'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from cron" -f -a "explain" -d 'Explain a cron expression in words and show its next fire times (needs no master)'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get-contexts" -d 'List the contexts; `*` marks the current one'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "current-context" -d 'Print the name of the current context'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "use-context" -d 'Make a context the current one, used when no --context is given'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set-context" -d 'Create or update a context from the global --endpoint and --token flags'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "delete-context" -d 'Remove a context (and unset it when it is the current one)'
complete -c schedctl -n "__fish_schedctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "view" -d 'Print the config file with tokens redacted (YAML unless -o json)'
