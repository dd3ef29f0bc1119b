
use builtin;
use str;

set edit:completion:arg-completer[schedctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'schedctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'schedctl'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand job 'Create, inspect, run and remove jobs'
            cand log 'Read execution records and their statistics'
            cand worker 'Inspect the workers that run jobs'
            cand apply 'Create or update jobs from files and print what changed'
            cand audit 'Read the audit trail: who changed which job, when and from where'
            cand diff 'Show how job files differ from the jobs on the master; exit 1 when they differ'
            cand cron 'Work with cron expressions, offline'
            cand dashboard 'Live dashboard of jobs, executions and workers'
            cand version 'Show the versions of schedctl and of the master'
            cand config 'Manage named contexts (endpoint, token) in the config file'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;job'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand save 'Create a job, or replace it whole if one of that name exists'
            cand list 'List jobs, optionally only those matching a keyword'
            cand get 'Show one job with all its settings'
            cand delete 'Delete a job. Runs already going are not killed (see `job kill`); records are kept'
            cand enable 'Schedule a disabled job again'
            cand disable 'Stop scheduling a job without deleting it. A run already going is not killed'
            cand kill 'Kill the job''s running executions on every worker. The job stays scheduled'
            cand run 'Run a job now, once, outside its schedule, and print the execution id'
            cand next 'Show when a job will run next, or when a cron expression would fire'
            cand export 'Print jobs as a job file: YAML documents (the default) or a JSON array'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;job;save'= {
            cand --cron 'When to run: 5 fields (`min hour day month weekday`), 6 with seconds first, a macro like `@daily`, or `@every 90s`'
            cand --command 'The command, run as `sh -c CMD` on a worker'
            cand -f 'Read the job from a YAML or JSON file (`-` for stdin) holding one job'
            cand --file 'Read the job from a YAML or JSON file (`-` for stdin) holding one job'
            cand --timeout 'Kill a run after this long: `30s`, `2m`, `1h30m` or a number of seconds; 0 for none'
            cand --timezone 'IANA time zone the cron expression is read in (default: the cluster''s)'
            cand --description 'Free text shown in `job get`'
            cand --overlap 'What to do when a tick comes while the previous run is still going'
            cand --run-on 'Which workers run each tick: one, or every online one (a broadcast job), each run with SCHEDD_SHARD_INDEX (from 0) and SCHEDD_SHARD_TOTAL in its environment; `log list --tick TIME` lists the runs of one tick'
            cand --on-success 'A job to run (trigger `dependency`) when a run of this one succeeds, after its retries; repeat the flag or separate names with commas'
            cand --on-failure 'A job to run (trigger `dependency`) when a run of this one fails or times out, after its retries; repeat the flag or separate names with commas'
            cand --http-url 'Make an HTTP job: request this http or https URL on each run instead of running a command. Secrets in it (a password, `?token=...`) are hidden where the job is shown, but for `-o json`/`-o yaml` and `job export`'
            cand --http-method 'The request''s method, in any case [default: GET]'
            cand --http-header 'A request header, `Name: value`; repeat the flag for more. Values of headers like Authorization, Cookie or X-Api-Key are hidden as the URL''s secrets are'
            cand --http-body 'The request body; `@FILE` sends the contents of FILE (so a body that starts with `@` has to come from a file)'
            cand --expect-status 'A status that counts as success: repeat the flag or separate them with commas (`200,204`) [default: any 2xx]'
            cand --http-timeout 'Give up on the request after this long (as for --timeout); 0 or left out: the job''s --timeout bounds it'
            cand --notify 'A webhook (an http or https URL) to POST a JSON notice to; repeat the flag for more. Secrets in it (`?token=...`) are hidden where the job is shown, but for `-o json`/`-o yaml` and `job export`'
            cand --notify-on 'What every --notify webhook is told of: repeat the flag or separate events with commas [default: failure,timeout,recovery,lost]'
            cand --notify-header 'A header sent to every --notify webhook, `Name: value`; repeat the flag for more. Values of headers like Authorization are hidden as the URL''s secrets are'
            cand --expected 'How long a run is expected to take (as for --timeout): a run still going after it sends an `overdue` notice to the webhooks that ask for one (--notify-on overdue); 0 or left out: never'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --disabled 'Store the job without scheduling it'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;list'= {
            cand -k 'Case-insensitive substring of the name, command or description'
            cand --keyword 'Case-insensitive substring of the name, command or description'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;get'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;delete'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;enable'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;disable'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;kill'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;run'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;next'= {
            cand -n 'How many fire times to show'
            cand --count 'How many fire times to show'
            cand --cron 'Try an expression instead of a stored job'
            cand --timezone 'With --cron: the IANA zone to read it in (default: the cluster''s)'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;export'= {
            cand --format 'The file format'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;job;help'= {
            cand save 'Create a job, or replace it whole if one of that name exists'
            cand list 'List jobs, optionally only those matching a keyword'
            cand get 'Show one job with all its settings'
            cand delete 'Delete a job. Runs already going are not killed (see `job kill`); records are kept'
            cand enable 'Schedule a disabled job again'
            cand disable 'Stop scheduling a job without deleting it. A run already going is not killed'
            cand kill 'Kill the job''s running executions on every worker. The job stays scheduled'
            cand run 'Run a job now, once, outside its schedule, and print the execution id'
            cand next 'Show when a job will run next, or when a cron expression would fire'
            cand export 'Print jobs as a job file: YAML documents (the default) or a JSON array'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;job;help;save'= {
        }
        &'schedctl;job;help;list'= {
        }
        &'schedctl;job;help;get'= {
        }
        &'schedctl;job;help;delete'= {
        }
        &'schedctl;job;help;enable'= {
        }
        &'schedctl;job;help;disable'= {
        }
        &'schedctl;job;help;kill'= {
        }
        &'schedctl;job;help;run'= {
        }
        &'schedctl;job;help;next'= {
        }
        &'schedctl;job;help;export'= {
        }
        &'schedctl;job;help;help'= {
        }
        &'schedctl;log'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List execution records, newest first, a page at a time'
            cand get 'Show the latest execution record of a job, with its output'
            cand stats 'Count runs by outcome over the last days, for one job or for all'
            cand tail 'Show a job''s output as it runs, then the result'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;log;list'= {
            cand --job 'Only this job''s records'
            cand --page 'Which page, from 1'
            cand --page-size 'Records per page, at most 500 (default: the server''s, 20)'
            cand --status 'Only runs that ended so; `running` lists the runs going on now instead'
            cand --since 'Only runs that started at or after this: an RFC 3339 time (`2026-11-25T08:00:00Z`) or a duration ago (`90m`, `2h`, `7d`)'
            cand --until 'Only runs that started before this (same forms as --since)'
            cand --tick 'Only the runs of the tick planned at this time, to the second (same forms as --since): every worker''s run of a tick of a broadcast job, or a tick and its retries'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;log;get'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;log;stats'= {
            cand --days 'How many days back, at most 366'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;log;tail'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand -f 'Keep following later runs of the job until interrupted'
            cand --follow 'Keep following later runs of the job until interrupted'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;log;help'= {
            cand list 'List execution records, newest first, a page at a time'
            cand get 'Show the latest execution record of a job, with its output'
            cand stats 'Count runs by outcome over the last days, for one job or for all'
            cand tail 'Show a job''s output as it runs, then the result'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;log;help;list'= {
        }
        &'schedctl;log;help;get'= {
        }
        &'schedctl;log;help;stats'= {
        }
        &'schedctl;log;help;tail'= {
        }
        &'schedctl;log;help;help'= {
        }
        &'schedctl;worker'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the workers the master knows, online or not'
            cand stats 'Show how many workers are online and how busy they are'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;worker;list'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;worker;stats'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;worker;help'= {
            cand list 'List the workers the master knows, online or not'
            cand stats 'Show how many workers are online and how busy they are'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;worker;help;list'= {
        }
        &'schedctl;worker;help;stats'= {
        }
        &'schedctl;worker;help;help'= {
        }
        &'schedctl;apply'= {
            cand -f 'A job file, a directory of them, or `-` for stdin; repeat for more'
            cand --file 'A job file, a directory of them, or `-` for stdin; repeat for more'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --prune 'Also delete the jobs on the master that no file names'
            cand --dry-run 'Print what would change, and change nothing'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;audit'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List changes made to jobs and tokens, newest first: who (the token''s name), from where, what, and what changed in the job. Attempts that failed are listed too'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;audit;list'= {
            cand --job 'Only changes to this job (or token)'
            cand --actor 'Only changes made with this token'
            cand --action 'Only this kind of change'
            cand --since 'Only changes at or after this: an RFC 3339 time or a duration ago (`90m`, `7d`)'
            cand --until 'Only changes before this (same forms as --since)'
            cand --page 'Which page, from 1'
            cand --page-size 'Entries per page, at most 500 (default: the server''s, 50)'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;audit;help'= {
            cand list 'List changes made to jobs and tokens, newest first: who (the token''s name), from where, what, and what changed in the job. Attempts that failed are listed too'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;audit;help;list'= {
        }
        &'schedctl;audit;help;help'= {
        }
        &'schedctl;diff'= {
            cand -f 'A job file, a directory of them, or `-` for stdin; repeat for more'
            cand --file 'A job file, a directory of them, or `-` for stdin; repeat for more'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --prune 'Also show the jobs on the master that no file names (what `apply --prune` deletes)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;cron'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand explain 'Explain a cron expression in words and show its next fire times (needs no master)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;cron;explain'= {
            cand -n 'How many fire times to show'
            cand --count 'How many fire times to show'
            cand --timezone 'IANA zone to read the expression in, unless it has a `TZ=` prefix (default: UTC; the master''s own default is its --timezone)'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;cron;help'= {
            cand explain 'Explain a cron expression in words and show its next fire times (needs no master)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;cron;help;explain'= {
        }
        &'schedctl;cron;help;help'= {
        }
        &'schedctl;dashboard'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;version'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand get-contexts 'List the contexts; `*` marks the current one'
            cand current-context 'Print the name of the current context'
            cand use-context 'Make a context the current one, used when no --context is given'
            cand set-context 'Create or update a context from the global --endpoint and --token flags'
            cand delete-context 'Remove a context (and unset it when it is the current one)'
            cand view 'Print the config file with tokens redacted (YAML unless -o json)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;config;get-contexts'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config;current-context'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config;use-context'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config;set-context'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config;delete-context'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config;view'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;config;help'= {
            cand get-contexts 'List the contexts; `*` marks the current one'
            cand current-context 'Print the name of the current context'
            cand use-context 'Make a context the current one, used when no --context is given'
            cand set-context 'Create or update a context from the global --endpoint and --token flags'
            cand delete-context 'Remove a context (and unset it when it is the current one)'
            cand view 'Print the config file with tokens redacted (YAML unless -o json)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;config;help;get-contexts'= {
        }
        &'schedctl;config;help;current-context'= {
        }
        &'schedctl;config;help;use-context'= {
        }
        &'schedctl;config;help;set-context'= {
        }
        &'schedctl;config;help;delete-context'= {
        }
        &'schedctl;config;help;view'= {
        }
        &'schedctl;config;help;help'= {
        }
        &'schedctl;completions'= {
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;man'= {
            cand --dir 'Write every page into this directory (created if missing) instead of printing `schedctl.1`'
            cand --endpoint 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]'
            cand --token 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]'
            cand --ca-file 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted'
            cand --context 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]'
            cand -o 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --output 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)'
            cand --color 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set'
            cand --request-timeout 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)'
            cand --no-headers 'Leave out the header line of tables'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'schedctl;help'= {
            cand job 'Create, inspect, run and remove jobs'
            cand log 'Read execution records and their statistics'
            cand worker 'Inspect the workers that run jobs'
            cand apply 'Create or update jobs from files and print what changed'
            cand audit 'Read the audit trail: who changed which job, when and from where'
            cand diff 'Show how job files differ from the jobs on the master; exit 1 when they differ'
            cand cron 'Work with cron expressions, offline'
            cand dashboard 'Live dashboard of jobs, executions and workers'
            cand version 'Show the versions of schedctl and of the master'
            cand config 'Manage named contexts (endpoint, token) in the config file'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'schedctl;help;job'= {
            cand save 'Create a job, or replace it whole if one of that name exists'
            cand list 'List jobs, optionally only those matching a keyword'
            cand get 'Show one job with all its settings'
            cand delete 'Delete a job. Runs already going are not killed (see `job kill`); records are kept'
            cand enable 'Schedule a disabled job again'
            cand disable 'Stop scheduling a job without deleting it. A run already going is not killed'
            cand kill 'Kill the job''s running executions on every worker. The job stays scheduled'
            cand run 'Run a job now, once, outside its schedule, and print the execution id'
            cand next 'Show when a job will run next, or when a cron expression would fire'
            cand export 'Print jobs as a job file: YAML documents (the default) or a JSON array'
        }
        &'schedctl;help;job;save'= {
        }
        &'schedctl;help;job;list'= {
        }
        &'schedctl;help;job;get'= {
        }
        &'schedctl;help;job;delete'= {
        }
        &'schedctl;help;job;enable'= {
        }
        &'schedctl;help;job;disable'= {
        }
        &'schedctl;help;job;kill'= {
        }
        &'schedctl;help;job;run'= {
        }
        &'schedctl;help;job;next'= {
        }
        &'schedctl;help;job;export'= {
        }
        &'schedctl;help;log'= {
            cand list 'List execution records, newest first, a page at a time'
            cand get 'Show the latest execution record of a job, with its output'
            cand stats 'Count runs by outcome over the last days, for one job or for all'
            cand tail 'Show a job''s output as it runs, then the result'
        }
        &'schedctl;help;log;list'= {
        }
        &'schedctl;help;log;get'= {
        }
        &'schedctl;help;log;stats'= {
        }
        &'schedctl;help;log;tail'= {
        }
        &'schedctl;help;worker'= {
            cand list 'List the workers the master knows, online or not'
            cand stats 'Show how many workers are online and how busy they are'
        }
        &'schedctl;help;worker;list'= {
        }
        &'schedctl;help;worker;stats'= {
        }
        &'schedctl;help;apply'= {
        }
        &'schedctl;help;audit'= {
            cand list 'List changes made to jobs and tokens, newest first: who (the token''s name), from where, what, and what changed in the job. Attempts that failed are listed too'
        }
        &'schedctl;help;audit;list'= {
        }
        &'schedctl;help;diff'= {
        }
        &'schedctl;help;cron'= {
            cand explain 'Explain a cron expression in words and show its next fire times (needs no master)'
        }
        &'schedctl;help;cron;explain'= {
        }
        &'schedctl;help;dashboard'= {
        }
        &'schedctl;help;version'= {
        }
        &'schedctl;help;config'= {
            cand get-contexts 'List the contexts; `*` marks the current one'
            cand current-context 'Print the name of the current context'
            cand use-context 'Make a context the current one, used when no --context is given'
            cand set-context 'Create or update a context from the global --endpoint and --token flags'
            cand delete-context 'Remove a context (and unset it when it is the current one)'
            cand view 'Print the config file with tokens redacted (YAML unless -o json)'
        }
        &'schedctl;help;config;get-contexts'= {
        }
        &'schedctl;help;config;current-context'= {
        }
        &'schedctl;help;config;use-context'= {
        }
        &'schedctl;help;config;set-context'= {
        }
        &'schedctl;help;config;delete-context'= {
        }
        &'schedctl;help;config;view'= {
        }
        &'schedctl;help;completions'= {
        }
        &'schedctl;help;man'= {
        }
        &'schedctl;help;help'= {
        }
    ]
    $completions[$command]
}
