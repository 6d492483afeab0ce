/// The status page's scripts (plain JavaScript, no build step). `common`:
/// the token, API calls, DOM helpers and polling, shared by both pages.
/// Every value from the API goes into the page as text (`textContent`,
/// `append` of strings), never as HTML.
enum StatusPageScript {
    static let common = #"""
    'use strict';
    // The token lives in this tab's sessionStorage only (gone with the tab):
    // never in a URL, a cookie or persistent storage. It is sent as
    // "Authorization: Bearer".
    const AP = (() => {
      const KEY = 'autoprov.admin-token';
      class AuthError extends Error {}
      const $ = (id) => document.getElementById(id);
      const token = () => sessionStorage.getItem(KEY);

      function request(path, bearer, method) {
        return fetch('/api/v1' + path, {
          method: method || 'GET',
          headers: { 'Authorization': 'Bearer ' + bearer, 'Accept': 'application/json' },
          cache: 'no-store', credentials: 'omit', redirect: 'error',
        });
      }

      // api(path[, method]): the JSON answer; throws AuthError (and shows the
      // login form) on 401, an Error with .status on any other failure.
      async function api(path, method) {
        const bearer = token();
        if (!bearer) { showLogin(''); throw new AuthError('no token'); }
        const response = await request(path, bearer, method);
        if (response.status === 401) {
          sessionStorage.removeItem(KEY);
          showLogin('The server refused the token; please give it again.');
          throw new AuthError('refused');
        }
        const body = response.status === 204 ? null : await response.json().catch(() => null);
        if (!response.ok) {
          const error = new Error((body && body.error) || ('HTTP ' + response.status));
          error.status = response.status;
          throw error;
        }
        return body;
      }

      // el(tag, props, ...children): an element; strings become text nodes.
      function el(tag, props, ...children) {
        const node = document.createElement(tag);
        for (const [key, value] of Object.entries(props || {})) {
          if (value === undefined || value === null) continue;
          if (key === 'className') node.className = value;
          else if (key === 'text') node.textContent = value;
          else if (key === 'dataset') Object.assign(node.dataset, value);
          else node.setAttribute(key, value);
        }
        for (const child of children) if (child !== undefined && child !== null) node.append(child);
        return node;
      }

      const pad = (n) => String(n).padStart(2, '0');
      // time(epoch seconds): HH:MM:SS today, else YYYY-MM-DD HH:MM:SS (local).
      function time(epoch) {
        if (epoch === null || epoch === undefined) return '';
        const d = new Date(epoch * 1000), now = new Date();
        const hms = pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
        if (d.toDateString() === now.toDateString()) return hms;
        return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hms;
      }
      // ago(epoch, now): "5 s ago", "3 min ago", "2 h ago", "4 d ago".
      function ago(epoch, now) {
        if (epoch === null || epoch === undefined) return '';
        const s = Math.max(0, Math.round(now - epoch));
        if (s < 60) return s + ' s ago';
        if (s < 3600) return Math.floor(s / 60) + ' min ago';
        if (s < 86400) return Math.floor(s / 3600) + ' h ago';
        return Math.floor(s / 86400) + ' d ago';
      }
      const stateBadge = (state) => el('span', { className: 'state ' + state, text: state });
      // registration(list): "line 1 ✓ 200" for each line the last outcome told about.
      function registration(list) {
        return (list || []).map((r) => el('span', {
          className: 'reg ' + (r.registered ? 'ok' : 'bad'),
          title: r.number ? 'number ' + r.number : null,
          dataset: { line: String(r.line), registered: String(r.registered) },
        }, 'line ' + r.line + ' ' + (r.registered ? '\u2713' : '\u2717') + (r.code === null ? '' : ' ' + r.code)));
      }
      const eventText = (kind, status) => (kind || '') + (status === null || status === undefined ? '' : ' ' + status);

      function setLive(text) { $('live').textContent = text; }
      function showLogin(message) {
        stopPolling();
        $('app').hidden = true;
        $('logout').hidden = true;
        $('login').hidden = false;
        $('login-error').textContent = message || '';
        setLive('');
        $('token').focus();
      }

      let onReady = () => {};
      function start() {
        $('login').hidden = true;
        $('app').hidden = false;
        $('logout').hidden = false;
        onReady();
      }

      // The form is never submitted: the token is checked with one API
      // call, then kept in sessionStorage; the input is emptied either way.
      async function login(event) {
        event.preventDefault();
        const input = $('token'), button = $('login-button'), error = $('login-error');
        const candidate = input.value.trim();
        input.value = '';
        if (!candidate) return;
        button.disabled = true;
        error.textContent = '';
        try {
          const response = await request('/groups', candidate);
          if (response.status === 401) {
            error.textContent = 'That is not the admin token.';
            input.focus();
          } else if (!response.ok) {
            error.textContent = 'The server answered HTTP ' + response.status + '.';
          } else {
            sessionStorage.setItem(KEY, candidate);
            start();
          }
        } catch (e) {
          error.textContent = 'The server cannot be reached (' + e.message + ').';
        } finally {
          button.disabled = false;
        }
      }

      function logout() {
        sessionStorage.removeItem(KEY);
        showLogin('Logged out.');
      }

      // poll(fn, ms): fn now, then ms after each run ends, until logout or a 401.
      let timer = null, generation = 0;
      function poll(fn, ms) {
        const mine = ++generation;
        const tick = async () => {
          if (mine !== generation) return;
          try {
            await fn();
            setLive('live \u00b7 updated ' + time(Date.now() / 1000));
          } catch (e) {
            if (e instanceof AuthError) return;
            setLive('cannot reach the server (' + e.message + '); retrying');
          }
          if (mine === generation) timer = setTimeout(tick, ms);
        };
        tick();
      }
      function stopPolling() { generation++; clearTimeout(timer); }

      // init(ready): wire the login form; ready() runs once a token is known.
      function init(ready) {
        onReady = ready;
        $('login-form').addEventListener('submit', login);
        $('logout').addEventListener('click', logout);
        if (token()) start(); else showLogin('');
      }

      return { $, api, el, time, ago, stateBadge, registration, eventText, poll, init };
    })();
    """#
}
