/// The status page's stylesheet: one file, no framework.
enum StatusPageStyle {
    static let css = #"""
    :root { --fg: #1d232b; --muted: #68717d; --line: #d9dde3; --bg: #f6f7f9; --ok: #17733a; --bad: #b3261e;
      --wait: #8a5a00; --info: #1f5fa8; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    body { margin: 0; color: var(--fg); background: var(--bg); font-size: 14px; }
    header { display: flex; align-items: center; gap: 1em; padding: .6em 1.2em; background: #1d232b; color: #fff; }
    header h1 { font-size: 1.2em; margin: 0; }
    header h1 a { color: #fff; text-decoration: none; }
    header #live { flex: 1; color: #c5ccd6; }
    main, #login { padding: 1em 1.2em; }
    #login form { max-width: 28em; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1em 1.4em; }
    #login input { width: 100%; box-sizing: border-box; padding: .5em; margin: .3em 0 .8em; font-family: monospace; }
    button { font: inherit; padding: .35em .9em; border: 1px solid #9aa3ae; border-radius: 4px; background: #fff; cursor: pointer; }
    button:hover { background: #eef1f5; }
    button:disabled { opacity: .6; cursor: default; }
    button[aria-pressed="true"] { background: #1d232b; color: #fff; border-color: #1d232b; }
    .muted { color: var(--muted); }
    .error { color: var(--bad); }
    .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 1em; margin-bottom: .8em; }
    #filters { display: flex; flex-wrap: wrap; gap: .3em; }
    #summary { margin: 0; color: var(--muted); }
    #pager { display: flex; gap: .5em; align-items: center; margin-top: .5em; }
    table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
    th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
    td.mac, td.ip, td.time { font-family: monospace; white-space: nowrap; }
    td.reason { max-width: 28em; overflow-wrap: anywhere; }
    tr.changed td { animation: flash 1.2s ease-out; }
    @keyframes flash { from { background: #fff6c9; } to { background: transparent; } }
    span.state { display: inline-block; padding: .05em .55em; border-radius: 1em; font-size: .9em; white-space: nowrap;
      background: #eef1f5; color: var(--fg); }
    span.state.verified { background: #dcf3e3; color: var(--ok); }
    span.state.failed { background: #fbe0de; color: var(--bad); }
    span.state.leased, span.state.config-fetched, span.state.reachable, span.state.pushed { background: #fff1d6; color: var(--wait); }
    span.state.new, span.state.discovered { background: #e4eefb; color: var(--info); }
    .reg { display: inline-block; margin-right: .5em; white-space: nowrap; }
    .reg.ok { color: var(--ok); }
    .reg.bad { color: var(--bad); }
    .crumbs { margin: 0 0 .5em; }
    h2 { margin: .2em 0 .6em; }
    h3 { margin: 1.2em 0 .5em; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1.2em; background: #fff; padding: .8em 1em;
      border: 1px solid var(--line); border-radius: 6px; margin: 0; }
    dt { color: var(--muted); }
    dd { margin: 0; overflow-wrap: anywhere; }
    .actions { margin: .8em 0; display: flex; align-items: center; gap: 1em; }
    """#
}
