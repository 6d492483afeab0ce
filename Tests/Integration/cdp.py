"""A tiny Chrome DevTools Protocol client over --remote-debugging-pipe
(Python standard library only: the browser reads commands on fd 3 and
writes answers and events on fd 4, each a JSON message ended by a NUL).

    with Browser(["ip", "netns", "exec", ns, "chromium"], log=f) as browser:
        page = browser.new_page()
        page.goto("http://127.0.0.1:8081/ui/")
        page.evaluate("document.title")
"""
import base64
import json
import os
import subprocess
import threading
import time


class CDPError(Exception):
    pass


class Browser:
    """Headless Chromium driven through a pipe; every command waits for its answer."""

    def __init__(self, command, log, size=(1280, 900), user_data_dir=None):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = list(command) + [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
            f"--window-size={size[0]},{size[1]}", "--remote-debugging-pipe", "about:blank",
        ]
        if user_data_dir:
            args.insert(len(command), f"--user-data-dir={user_data_dir}")

        def child_fds():
            # Move both ends out of the way first, then onto 3 and 4.
            high_r, high_w = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._lock = threading.Lock()
        self._answers = {}
        self._arrived = threading.Condition(self._lock)
        self.events = []
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._lock:
                    self._closed = True
                    self._arrived.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._answers[message["id"]] = message
                    else:
                        self.events.append(message)
                    self._arrived.notify_all()

    def send(self, method, params=None, session=None, timeout=30):
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._lock:
            while ident not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise CDPError(f"{method}: no answer ({'browser gone' if self._closed else 'timeout'})")
                self._arrived.wait(left)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise CDPError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def new_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except CDPError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Page:
    """One tab: navigation, script evaluation, real mouse clicks and typing."""

    def __init__(self, browser, session):
        self.browser = browser
        self.session = session
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")

    def send(self, method, params=None, timeout=30):
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CDPError(f"script failed: {result['exceptionDetails'].get('text')} in {expression[:80]}")
        return result["result"].get("value")

    def wait(self, expression, timeout, what, interval=0.2):
        """Polls a script until it returns something truthy; returns that."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() >= deadline:
                raise CDPError(f"timed out after {timeout}s waiting for {what}")
            time.sleep(interval)

    def goto(self, url, timeout=20):
        self.send("Page.navigate", {"url": url})
        self.wait(f"document.readyState === 'complete' && location.href === {json.dumps(url)}", timeout, f"{url} to load")

    def reload(self, timeout=20):
        self.evaluate("window.__before_reload = true")
        self.send("Page.reload")
        self.wait("document.readyState === 'complete' && !window.__before_reload", timeout, "the reload")

    def click(self, selector):
        """A real mouse click in the middle of the element."""
        box = self.evaluate(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return null;
            e.scrollIntoView({{block: 'center'}});
            const r = e.getBoundingClientRect();
            return {{x: r.x + r.width / 2, y: r.y + r.height / 2}};
        }})()""")
        if not box:
            raise CDPError(f"nothing to click at {selector}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def type_into(self, selector, text):
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
