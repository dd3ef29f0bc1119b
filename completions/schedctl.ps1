
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'schedctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'schedctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'schedctl' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('job', 'job', [CompletionResultType]::ParameterValue, 'Create, inspect, run and remove jobs')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read execution records and their statistics')
            [CompletionResult]::new('worker', 'worker', [CompletionResultType]::ParameterValue, 'Inspect the workers that run jobs')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update jobs from files and print what changed')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit trail: who changed which job, when and from where')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show how job files differ from the jobs on the master; exit 1 when they differ')
            [CompletionResult]::new('cron', 'cron', [CompletionResultType]::ParameterValue, 'Work with cron expressions, offline')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Live dashboard of jobs, executions and workers')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Show the versions of schedctl and of the master')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Manage named contexts (endpoint, token) in the config file')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;job' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Create a job, or replace it whole if one of that name exists')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List jobs, optionally only those matching a keyword')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one job with all its settings')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a job. Runs already going are not killed (see `job kill`); records are kept')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Schedule a disabled job again')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Stop scheduling a job without deleting it. A run already going is not killed')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Kill the job''s running executions on every worker. The job stays scheduled')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a job now, once, outside its schedule, and print the execution id')
            [CompletionResult]::new('next', 'next', [CompletionResultType]::ParameterValue, 'Show when a job will run next, or when a cron expression would fire')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print jobs as a job file: YAML documents (the default) or a JSON array')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;job;save' {
            [CompletionResult]::new('--cron', '--cron', [CompletionResultType]::ParameterName, 'When to run: 5 fields (`min hour day month weekday`), 6 with seconds first, a macro like `@daily`, or `@every 90s`')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'The command, run as `sh -c CMD` on a worker')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the job from a YAML or JSON file (`-` for stdin) holding one job')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the job from a YAML or JSON file (`-` for stdin) holding one job')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Kill a run after this long: `30s`, `2m`, `1h30m` or a number of seconds; 0 for none')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA time zone the cron expression is read in (default: the cluster''s)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Free text shown in `job get`')
            [CompletionResult]::new('--overlap', '--overlap', [CompletionResultType]::ParameterName, 'What to do when a tick comes while the previous run is still going')
            [CompletionResult]::new('--run-on', '--run-on', [CompletionResultType]::ParameterName, 'Which workers run each tick: one, or every online one (a broadcast job), each run with SCHEDD_SHARD_INDEX (from 0) and SCHEDD_SHARD_TOTAL in its environment; `log list --tick TIME` lists the runs of one tick')
            [CompletionResult]::new('--on-success', '--on-success', [CompletionResultType]::ParameterName, 'A job to run (trigger `dependency`) when a run of this one succeeds, after its retries; repeat the flag or separate names with commas')
            [CompletionResult]::new('--on-failure', '--on-failure', [CompletionResultType]::ParameterName, 'A job to run (trigger `dependency`) when a run of this one fails or times out, after its retries; repeat the flag or separate names with commas')
            [CompletionResult]::new('--http-url', '--http-url', [CompletionResultType]::ParameterName, 'Make an HTTP job: request this http or https URL on each run instead of running a command. Secrets in it (a password, `?token=...`) are hidden where the job is shown, but for `-o json`/`-o yaml` and `job export`')
            [CompletionResult]::new('--http-method', '--http-method', [CompletionResultType]::ParameterName, 'The request''s method, in any case [default: GET]')
            [CompletionResult]::new('--http-header', '--http-header', [CompletionResultType]::ParameterName, 'A request header, `Name: value`; repeat the flag for more. Values of headers like Authorization, Cookie or X-Api-Key are hidden as the URL''s secrets are')
            [CompletionResult]::new('--http-body', '--http-body', [CompletionResultType]::ParameterName, 'The request body; `@FILE` sends the contents of FILE (so a body that starts with `@` has to come from a file)')
            [CompletionResult]::new('--expect-status', '--expect-status', [CompletionResultType]::ParameterName, 'A status that counts as success: repeat the flag or separate them with commas (`200,204`) [default: any 2xx]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on the request after this long (as for --timeout); 0 or left out: the job''s --timeout bounds it')
            [CompletionResult]::new('--notify', '--notify', [CompletionResultType]::ParameterName, 'A webhook (an http or https URL) to POST a JSON notice to; repeat the flag for more. Secrets in it (`?token=...`) are hidden where the job is shown, but for `-o json`/`-o yaml` and `job export`')
            [CompletionResult]::new('--notify-on', '--notify-on', [CompletionResultType]::ParameterName, 'What every --notify webhook is told of: repeat the flag or separate events with commas [default: failure,timeout,recovery,lost]')
            [CompletionResult]::new('--notify-header', '--notify-header', [CompletionResultType]::ParameterName, 'A header sent to every --notify webhook, `Name: value`; repeat the flag for more. Values of headers like Authorization are hidden as the URL''s secrets are')
            [CompletionResult]::new('--expected', '--expected', [CompletionResultType]::ParameterName, 'How long a run is expected to take (as for --timeout): a run still going after it sends an `overdue` notice to the webhooks that ask for one (--notify-on overdue); 0 or left out: never')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Store the job without scheduling it')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;list' {
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Case-insensitive substring of the name, command or description')
            [CompletionResult]::new('--keyword', '--keyword', [CompletionResultType]::ParameterName, 'Case-insensitive substring of the name, command or description')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;get' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;delete' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;enable' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;disable' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;kill' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;run' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;next' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many fire times to show')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many fire times to show')
            [CompletionResult]::new('--cron', '--cron', [CompletionResultType]::ParameterName, 'Try an expression instead of a stored job')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'With --cron: the IANA zone to read it in (default: the cluster''s)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file format')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;job;help' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Create a job, or replace it whole if one of that name exists')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List jobs, optionally only those matching a keyword')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one job with all its settings')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a job. Runs already going are not killed (see `job kill`); records are kept')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Schedule a disabled job again')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Stop scheduling a job without deleting it. A run already going is not killed')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Kill the job''s running executions on every worker. The job stays scheduled')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a job now, once, outside its schedule, and print the execution id')
            [CompletionResult]::new('next', 'next', [CompletionResultType]::ParameterValue, 'Show when a job will run next, or when a cron expression would fire')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print jobs as a job file: YAML documents (the default) or a JSON array')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;job;help;save' {
            break
        }
        'schedctl;job;help;list' {
            break
        }
        'schedctl;job;help;get' {
            break
        }
        'schedctl;job;help;delete' {
            break
        }
        'schedctl;job;help;enable' {
            break
        }
        'schedctl;job;help;disable' {
            break
        }
        'schedctl;job;help;kill' {
            break
        }
        'schedctl;job;help;run' {
            break
        }
        'schedctl;job;help;next' {
            break
        }
        'schedctl;job;help;export' {
            break
        }
        'schedctl;job;help;help' {
            break
        }
        'schedctl;log' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List execution records, newest first, a page at a time')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show the latest execution record of a job, with its output')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count runs by outcome over the last days, for one job or for all')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show a job''s output as it runs, then the result')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;log;list' {
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Only this job''s records')
            [CompletionResult]::new('--page', '--page', [CompletionResultType]::ParameterName, 'Which page, from 1')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Records per page, at most 500 (default: the server''s, 20)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only runs that ended so; `running` lists the runs going on now instead')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only runs that started at or after this: an RFC 3339 time (`2026-11-25T08:00:00Z`) or a duration ago (`90m`, `2h`, `7d`)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only runs that started before this (same forms as --since)')
            [CompletionResult]::new('--tick', '--tick', [CompletionResultType]::ParameterName, 'Only the runs of the tick planned at this time, to the second (same forms as --since): every worker''s run of a tick of a broadcast job, or a tick and its retries')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;log;get' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;log;stats' {
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'How many days back, at most 366')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;log;tail' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep following later runs of the job until interrupted')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep following later runs of the job until interrupted')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;log;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List execution records, newest first, a page at a time')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show the latest execution record of a job, with its output')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count runs by outcome over the last days, for one job or for all')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show a job''s output as it runs, then the result')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;log;help;list' {
            break
        }
        'schedctl;log;help;get' {
            break
        }
        'schedctl;log;help;stats' {
            break
        }
        'schedctl;log;help;tail' {
            break
        }
        'schedctl;log;help;help' {
            break
        }
        'schedctl;worker' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workers the master knows, online or not')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show how many workers are online and how busy they are')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;worker;list' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;worker;stats' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;worker;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workers the master knows, online or not')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show how many workers are online and how busy they are')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;worker;help;list' {
            break
        }
        'schedctl;worker;help;stats' {
            break
        }
        'schedctl;worker;help;help' {
            break
        }
        'schedctl;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A job file, a directory of them, or `-` for stdin; repeat for more')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A job file, a directory of them, or `-` for stdin; repeat for more')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete the jobs on the master that no file names')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change, and change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;audit' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List changes made to jobs and tokens, newest first: who (the token''s name), from where, what, and what changed in the job. Attempts that failed are listed too')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;audit;list' {
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Only changes to this job (or token)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only changes made with this token')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this kind of change')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only changes at or after this: an RFC 3339 time or a duration ago (`90m`, `7d`)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only changes before this (same forms as --since)')
            [CompletionResult]::new('--page', '--page', [CompletionResultType]::ParameterName, 'Which page, from 1')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Entries per page, at most 500 (default: the server''s, 50)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;audit;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List changes made to jobs and tokens, newest first: who (the token''s name), from where, what, and what changed in the job. Attempts that failed are listed too')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;audit;help;list' {
            break
        }
        'schedctl;audit;help;help' {
            break
        }
        'schedctl;diff' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A job file, a directory of them, or `-` for stdin; repeat for more')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A job file, a directory of them, or `-` for stdin; repeat for more')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also show the jobs on the master that no file names (what `apply --prune` deletes)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;cron' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a cron expression in words and show its next fire times (needs no master)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;cron;explain' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many fire times to show')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many fire times to show')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA zone to read the expression in, unless it has a `TZ=` prefix (default: UTC; the master''s own default is its --timezone)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;cron;help' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a cron expression in words and show its next fire times (needs no master)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;cron;help;explain' {
            break
        }
        'schedctl;cron;help;help' {
            break
        }
        'schedctl;dashboard' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;version' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; `*` marks the current one')
            [CompletionResult]::new('current-context', 'current-context', [CompletionResultType]::ParameterValue, 'Print the name of the current context')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make a context the current one, used when no --context is given')
            [CompletionResult]::new('set-context', 'set-context', [CompletionResultType]::ParameterValue, 'Create or update a context from the global --endpoint and --token flags')
            [CompletionResult]::new('delete-context', 'delete-context', [CompletionResultType]::ParameterValue, 'Remove a context (and unset it when it is the current one)')
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with tokens redacted (YAML unless -o json)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;config;get-contexts' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config;current-context' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config;use-context' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config;set-context' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config;delete-context' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config;view' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;config;help' {
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; `*` marks the current one')
            [CompletionResult]::new('current-context', 'current-context', [CompletionResultType]::ParameterValue, 'Print the name of the current context')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make a context the current one, used when no --context is given')
            [CompletionResult]::new('set-context', 'set-context', [CompletionResultType]::ParameterValue, 'Create or update a context from the global --endpoint and --token flags')
            [CompletionResult]::new('delete-context', 'delete-context', [CompletionResultType]::ParameterValue, 'Remove a context (and unset it when it is the current one)')
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with tokens redacted (YAML unless -o json)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;config;help;get-contexts' {
            break
        }
        'schedctl;config;help;current-context' {
            break
        }
        'schedctl;config;help;use-context' {
            break
        }
        'schedctl;config;help;set-context' {
            break
        }
        'schedctl;config;help;delete-context' {
            break
        }
        'schedctl;config;help;view' {
            break
        }
        'schedctl;config;help;help' {
            break
        }
        'schedctl;completions' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write every page into this directory (created if missing) instead of printing `schedctl.1`')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'gRPC address of the schedd master (`http://host:port`; `host:port` means http) [env: SCHEDCTL_ENDPOINT] [default: the context''s, else http://127.0.0.1:8070]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token sent with every call as `authorization: Bearer TOKEN` [env: SCHEDCTL_TOKEN]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) that signed an `https://` master''s certificate; without it the system''s roots are trusted')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old system''s field names, or `name` (one name or id per line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line of tables')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'schedctl;help' {
            [CompletionResult]::new('job', 'job', [CompletionResultType]::ParameterValue, 'Create, inspect, run and remove jobs')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read execution records and their statistics')
            [CompletionResult]::new('worker', 'worker', [CompletionResultType]::ParameterValue, 'Inspect the workers that run jobs')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update jobs from files and print what changed')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit trail: who changed which job, when and from where')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show how job files differ from the jobs on the master; exit 1 when they differ')
            [CompletionResult]::new('cron', 'cron', [CompletionResultType]::ParameterValue, 'Work with cron expressions, offline')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Live dashboard of jobs, executions and workers')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Show the versions of schedctl and of the master')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Manage named contexts (endpoint, token) in the config file')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'schedctl;help;job' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Create a job, or replace it whole if one of that name exists')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List jobs, optionally only those matching a keyword')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one job with all its settings')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a job. Runs already going are not killed (see `job kill`); records are kept')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Schedule a disabled job again')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Stop scheduling a job without deleting it. A run already going is not killed')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Kill the job''s running executions on every worker. The job stays scheduled')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a job now, once, outside its schedule, and print the execution id')
            [CompletionResult]::new('next', 'next', [CompletionResultType]::ParameterValue, 'Show when a job will run next, or when a cron expression would fire')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print jobs as a job file: YAML documents (the default) or a JSON array')
            break
        }
        'schedctl;help;job;save' {
            break
        }
        'schedctl;help;job;list' {
            break
        }
        'schedctl;help;job;get' {
            break
        }
        'schedctl;help;job;delete' {
            break
        }
        'schedctl;help;job;enable' {
            break
        }
        'schedctl;help;job;disable' {
            break
        }
        'schedctl;help;job;kill' {
            break
        }
        'schedctl;help;job;run' {
            break
        }
        'schedctl;help;job;next' {
            break
        }
        'schedctl;help;job;export' {
            break
        }
        'schedctl;help;log' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List execution records, newest first, a page at a time')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show the latest execution record of a job, with its output')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count runs by outcome over the last days, for one job or for all')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show a job''s output as it runs, then the result')
            break
        }
        'schedctl;help;log;list' {
            break
        }
        'schedctl;help;log;get' {
            break
        }
        'schedctl;help;log;stats' {
            break
        }
        'schedctl;help;log;tail' {
            break
        }
        'schedctl;help;worker' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workers the master knows, online or not')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show how many workers are online and how busy they are')
            break
        }
        'schedctl;help;worker;list' {
            break
        }
        'schedctl;help;worker;stats' {
            break
        }
        'schedctl;help;apply' {
            break
        }
        'schedctl;help;audit' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List changes made to jobs and tokens, newest first: who (the token''s name), from where, what, and what changed in the job. Attempts that failed are listed too')
            break
        }
        'schedctl;help;audit;list' {
            break
        }
        'schedctl;help;diff' {
            break
        }
        'schedctl;help;cron' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a cron expression in words and show its next fire times (needs no master)')
            break
        }
        'schedctl;help;cron;explain' {
            break
        }
        'schedctl;help;dashboard' {
            break
        }
        'schedctl;help;version' {
            break
        }
        'schedctl;help;config' {
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; `*` marks the current one')
            [CompletionResult]::new('current-context', 'current-context', [CompletionResultType]::ParameterValue, 'Print the name of the current context')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make a context the current one, used when no --context is given')
            [CompletionResult]::new('set-context', 'set-context', [CompletionResultType]::ParameterValue, 'Create or update a context from the global --endpoint and --token flags')
            [CompletionResult]::new('delete-context', 'delete-context', [CompletionResultType]::ParameterValue, 'Remove a context (and unset it when it is the current one)')
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with tokens redacted (YAML unless -o json)')
            break
        }
        'schedctl;help;config;get-contexts' {
            break
        }
        'schedctl;help;config;current-context' {
            break
        }
        'schedctl;help;config;use-context' {
            break
        }
        'schedctl;help;config;set-context' {
            break
        }
        'schedctl;help;config;delete-context' {
            break
        }
        'schedctl;help;config;view' {
            break
        }
        'schedctl;help;completions' {
            break
        }
        'schedctl;help;man' {
            break
        }
        'schedctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
