"""Drives the status page in headless Chromium like a person would, and
writes what it saw as JSON for t-status-page.sh to check (this script
only observes; the scenario makes the assertions).

  1. /ui/ shows the login form; a wrong token is refused and not kept.
  2. The admin token (read from its file, never printed) is typed and
     submitted: the list shows every device. Then --ready-file is written:
     the scenario powers the phones on.
  3. Without any reload, the rows are watched (every 0.25 s) until every
     device is verified or failed: the states each row went through.
  4. Screenshot; the "failed" filter; the device page of --failed: facts,
     event history, "Re-push" (the request, then the job restarted by it
     and final again); screenshot.
  5. A reload keeps the session (sessionStorage); "Log out" ends it.
  6. The browser's requests: none has the token in its URL; the API calls
     carry it as a bearer header; no cookie was set.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, CDPError  # noqa: E402

FINAL = ("verified", "failed")
ROWS = """[...document.querySelectorAll('#devices tbody tr')].map(tr => ({
    mac: tr.dataset.mac, state: tr.dataset.state, hidden: tr.hidden,
    shown_state: tr.querySelector('td.state')?.textContent,
    model: tr.querySelector('td.model')?.textContent, ip: tr.querySelector('td.ip')?.textContent,
    last_event: tr.querySelector('td.last-event')?.textContent,
    registration: tr.querySelector('td.registration')?.textContent,
    reason: tr.querySelector('td.reason')?.textContent,
    link: tr.querySelector('td.mac a')?.getAttribute('href')}))"""
FACTS = "Object.fromEntries([...document.querySelectorAll('#facts dd')].map(d => [d.dataset.fact, d.textContent]))"
EVENTS = "[...document.querySelectorAll('#events tbody tr')].map(tr => tr.dataset.kind)"


def visible(element_id):
    return f"!document.getElementById('{element_id}').hidden"


def run(args, token, result, log):
    def step(text):
        print(f"[status_page.py] {text}", file=log, flush=True)

    command = ["ip", "netns", "exec", args.ns, args.chromium]
    with Browser(command, log=log, user_data_dir=os.path.join(args.shots, "profile")) as browser:
        page = browser.new_page()
        page.goto(args.base + "/ui/")
        result["login_form_first"] = bool(page.wait(f"{visible('login')} && document.getElementById('app').hidden", 10, "the login form"))
        result["rows_before_login"] = page.evaluate("document.querySelectorAll('#devices tbody tr').length")

        step("a wrong token")
        page.type_into("#token", "0123456789abcdef0123456789abcdef")
        page.click("#login-button")
        result["wrong_token_error"] = page.wait("document.getElementById('login-error').textContent", 10, "the refusal")
        result["wrong_token_kept"] = page.evaluate("sessionStorage.length + localStorage.length")
        result["app_hidden_after_wrong_token"] = page.evaluate("document.getElementById('app').hidden")

        step("the admin token")
        page.type_into("#token", token)
        page.click("#login-button")
        page.wait(visible("app"), 10, "the list after logging in")
        page.evaluate("window.__no_reload = true")
        page.wait(f"document.querySelectorAll('#devices tbody tr').length === {args.count}", 15, f"{args.count} rows")
        result["token_input_emptied"] = page.evaluate("document.getElementById('token').value === ''")
        result["rows_at_login"] = page.evaluate(ROWS)
        with open(args.ready_file, "w") as f:
            f.write("logged in\n")

        step("watching the rows until every device is verified or failed")
        seen = {}
        deadline = time.monotonic() + args.timeout
        rows = []
        while True:
            rows = page.evaluate(ROWS)
            for row in rows:
                states = seen.setdefault(row["mac"], [])
                if not states or states[-1] != row["state"]:
                    states.append(row["state"])
            if len(rows) == args.count and all(r["state"] in FINAL for r in rows):
                break
            if time.monotonic() >= deadline:
                result["watch_timed_out"] = True
                break
            time.sleep(0.25)
        result["states_seen"] = seen
        time.sleep(1.5)  # one more poll: the last outcome's registration and events
        result["rows_final"] = page.evaluate(ROWS)
        result["no_reload_while_watching"] = page.evaluate("window.__no_reload === true")
        result["summary"] = page.evaluate("document.getElementById('summary').textContent")
        result["live"] = page.evaluate("document.getElementById('live').textContent")
        result["page_title"] = page.evaluate("document.title")
        page.screenshot(os.path.join(args.shots, "list.png"))

        step("the failed filter")
        page.click("#filters button[data-state='failed']")
        page.wait("location.hash === '#state=failed'", 5, "the filter in the URL")
        result["filter_failed"] = page.evaluate(
            "({hash: location.hash, pressed: document.querySelector('#filters button[aria-pressed=\"true\"]')?.dataset.state,"
            " shown: [...document.querySelectorAll('#devices tbody tr')].filter(tr => !tr.hidden).map(tr => tr.dataset.mac)})")
        page.screenshot(os.path.join(args.shots, "list-failed.png"))
        page.click("#filters button[data-state='']")
        result["filter_all_shown"] = page.wait(
            f"[...document.querySelectorAll('#devices tbody tr')].filter(tr => !tr.hidden).length === {args.count} && location.hash === ''",
            5, "every row again")

        step(f"the device page of {args.failed}")
        page.click(f"#devices tbody tr[data-mac='{args.failed}'] td.mac a")
        page.wait(f"location.pathname === '/ui/devices/{args.failed}' && document.readyState === 'complete'", 10, "the device page")
        page.wait(f"{FACTS}.State === 'failed' && {EVENTS}.length > 0", 10, "the device's facts and events")
        result["device_title"] = page.evaluate("document.getElementById('title').textContent")
        result["device_facts"] = page.evaluate(FACTS)
        result["device_events"] = page.evaluate(EVENTS)
        result["device_registration"] = page.evaluate("document.getElementById('registration').textContent")
        before = page.evaluate(f"{FACTS}['In this state since']")

        step("re-push")
        page.click("#push")
        result["push_result"] = page.wait(
            "document.getElementById('push-result').textContent.startsWith('Push requested') && "
            "document.getElementById('push-result').textContent", 10, "the push answer")
        page.wait(f"{EVENTS}.includes('push-requested')", 10, "push-requested in the history")
        result["push_trigger"] = page.wait(f"{FACTS}.Trigger === 'push-requested' && {FACTS}.Trigger", 20, "the worker to restart the job")
        page.wait(f"['verified', 'failed'].includes({FACTS}.State) && {FACTS}['In this state since'] !== {json.dumps(before)}",
                  60, "the pushed job to end again")
        result["device_facts_after_push"] = page.evaluate(FACTS)
        result["device_events_after_push"] = page.evaluate(EVENTS)
        page.screenshot(os.path.join(args.shots, "device.png"))

        step("reload, then log out")
        page.reload()
        page.wait(f"{visible('app')} && {FACTS}.MAC === {json.dumps(args.failed)}", 10, "the page again, without logging in")
        result["reload_kept_session"] = page.evaluate(f"{visible('app')} && document.getElementById('login').hidden")
        page.click("#logout")
        page.wait(f"{visible('login')} && document.getElementById('app').hidden", 5, "the login form after logging out")
        result["after_logout_storage"] = page.evaluate("sessionStorage.length + localStorage.length")

        cookies = page.send("Network.getCookies", {"urls": [args.base + "/"]})["cookies"]
        result["cookies"] = len(cookies)
        requests = [e["params"]["request"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
        result["requests"] = len(requests)
        result["urls_with_token"] = sum(token in r["url"] for r in requests)
        api = [r for r in requests if "/api/v1/" in r["url"]]
        result["api_requests"] = len(api)
        result["api_requests_with_bearer"] = sum(
            any(k.lower() == "authorization" and v.startswith("Bearer ") for k, v in r.get("headers", {}).items()) for r in api)
        result["api_methods"] = sorted({r["method"] + " " + r["url"].split("/api/v1", 1)[1].split("?")[0] for r in api})
        result["console_errors"] = [
            e["params"].get("exceptionDetails", {}).get("text") for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ns", required=True, help="the network namespace autoprov listens in")
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--base", default="http://127.0.0.1:8081")
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--count", type=int, required=True, help="devices in the inventory")
    parser.add_argument("--failed", required=True, help="a MAC whose job will fail: its page is visited")
    parser.add_argument("--ready-file", required=True, help="written once logged in")
    parser.add_argument("--shots", required=True, help="folder for screenshots (and the browser profile)")
    parser.add_argument("--out", required=True, help="the JSON result")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    with open(args.token_file) as f:
        token = f.read().strip()
    result = {}
    rc = 0
    with open(os.path.join(args.shots, "chromium.log"), "w") as log:
        try:
            run(args, token, result, log)
        except CDPError as error:
            result["error"] = str(error)
            rc = 1
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    return rc


if __name__ == "__main__":
    sys.exit(main())
