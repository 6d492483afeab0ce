/// The status page's two HTML documents. They are static: the scripts fill
/// them from the JSON API once the token is given (see `StatusPage`).
enum StatusPageHTML {
    static let list = page(title: "autoprov: provisioning", script: "/ui/list.js", main: """
          <section class="toolbar">
            <nav id="filters" aria-label="Filter by state"></nav>
            <p id="summary" aria-live="polite"></p>
          </section>
          <table id="devices">
            <thead>
              <tr><th>MAC</th><th>Label</th><th>Model</th><th>IP</th><th>State</th><th>Last event</th>
                <th>Registration</th><th>Reason</th><th>Since</th></tr>
            </thead>
            <tbody></tbody>
          </table>
          <p id="empty" class="muted" hidden>No device in this state.</p>
          <nav id="pager" aria-label="Pages" hidden>
            <button type="button" id="first">First</button>
            <button type="button" id="prev">Previous</button>
            <span id="page-info" class="muted"></span>
            <button type="button" id="next">Next</button>
          </nav>
        """)

    static let device = page(title: "autoprov: device", script: "/ui/device.js", main: """
          <p class="crumbs"><a href="/ui/">All devices</a></p>
          <h2 id="title">Device</h2>
          <p id="missing" class="error" hidden></p>
          <section id="detail">
            <dl id="facts"></dl>
            <div class="actions">
              <button id="push" type="button">Re-push</button>
              <span id="push-result" aria-live="polite"></span>
            </div>
            <h3>Registration</h3>
            <p id="registration" class="muted">Not known yet.</p>
          </section>
          <h3>Events <span class="muted">(newest first)</span></h3>
          <table id="events">
            <thead><tr><th>Time</th><th>Kind</th><th>IP</th><th>File</th><th>Status</th><th>Reason</th></tr></thead>
            <tbody></tbody>
          </table>
        """)

    /// The frame both pages share: header, the login form, and `main`.
    /// The token input has no `name`: even a form submitted without the
    /// scripts could not carry it anywhere (and the policy forbids that).
    static func page(title: String, script: String, main: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title)</title>
        <link rel="stylesheet" href="/ui/style.css">
        <script src="/ui/common.js" defer></script>
        <script src="\(script)" defer></script>
        </head>
        <body>
        <header>
          <h1><a href="/ui/">autoprov</a></h1>
          <span id="live" class="muted"></span>
          <button id="logout" type="button" hidden>Log out</button>
        </header>
        <section id="login" hidden>
          <form id="login-form" method="post" action="/ui/" autocomplete="off">
            <h2>Admin token</h2>
            <p class="muted">The token is in the server's <code>admin.token_file</code> (default:
              <code>admin.token</code> next to the store). This tab keeps it until it is closed.</p>
            <label for="token">Token</label>
            <input id="token" type="password" autocomplete="off" spellcheck="false" required>
            <button id="login-button" type="submit">Log in</button>
            <p id="login-error" class="error" role="alert"></p>
          </form>
        </section>
        <noscript><p class="error">This page needs JavaScript.</p></noscript>
        <main id="app" hidden>
        \(main)
        </main>
        </body>
        </html>

        """
    }
}
