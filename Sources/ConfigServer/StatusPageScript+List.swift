extension StatusPageScript {
    /// `/ui/`: the devices, filtered by the state in the URL's fragment
    /// (`#state=failed`), refreshed every second: the counts per state from
    /// `GET /api/v1/provisioning/summary` and only the page shown (`PAGE`
    /// rows from `GET /api/v1/provisioning?limit=&after=&state=`), never the
    /// whole fleet.
    static let list = #"""
    'use strict';
    (() => {
      const { $, api, el } = AP;
      const STATES = ['new', 'discovered', 'leased', 'config-fetched', 'reachable', 'pushed', 'verified', 'failed'];
      const rows = new Map();   // mac -> <tr>
      const keys = new WeakMap(); // <tr> -> the entry it shows, as JSON
      const buttons = new Map(); // state ('' = all) -> <button>
      const PAGE = 100;
      let devices = [], serverTime = Date.now() / 1000, counts = {}, total = 0;
      let cursors = [''], next = null; // the `after` of each page up to the shown one; the next page's

      function turn(to) {
        if (to === 'first') cursors = [''];
        else if (to === 'prev' && cursors.length > 1) cursors.pop();
        else if (to === 'next' && next) cursors.push(next);
        refresh().catch(() => {}); // the poll shows the error on its next run
      }

      function filter() {
        const m = /^#state=([a-z-]+)$/.exec(location.hash);
        return m && STATES.includes(m[1]) ? m[1] : '';
      }
      function setFilter(state) {
        history.replaceState(null, '', state ? '#state=' + state : location.pathname);
        filterChanged();
      }
      function filterChanged() {
        cursors = [''];
        render();
        refresh().catch(() => {}); // the poll shows the error on its next run
      }

      function makeButtons() {
        for (const state of ['', ...STATES]) {
          const button = el('button', { type: 'button', dataset: { state } });
          button.addEventListener('click', () => setFilter(state));
          buttons.set(state, button);
          $('filters').append(button);
        }
      }

      function cell(className, ...children) { return el('td', { className }, ...children); }

      // One row's cells, from one entry of the list; rebuilt only when the
      // entry changed (a link under the pointer stays put), else only the
      // "… ago" text moves.
      function fill(tr, d) {
        const key = JSON.stringify(d);
        if (keys.get(tr) === key) {
          const since = tr.querySelector('.ago');
          if (since) since.textContent = ' ' + AP.ago(d.last_event_time, serverTime);
          return;
        }
        keys.set(tr, key);
        const changed = tr.dataset.state !== undefined && tr.dataset.state !== d.state;
        tr.dataset.state = d.state;
        const last = AP.eventText(d.last_event, d.last_event_status);
        tr.replaceChildren(
          cell('mac', el('a', { href: '/ui/devices/' + encodeURIComponent(d.mac) }, d.mac)),
          cell('label', d.label),
          cell('model', d.model || ''),
          cell('ip', d.ip || ''),
          cell('state', AP.stateBadge(d.state)),
          cell('last-event', el('span', { title: AP.time(d.last_event_time) }, last),
            d.last_event_time ? el('span', { className: 'muted ago' }, ' ' + AP.ago(d.last_event_time, serverTime)) : null),
          cell('registration', ...AP.registration(d.registration)),
          cell('reason', d.reason || ''),
          cell('time', AP.time(d.updated)),
        );
        if (changed) {
          tr.classList.remove('changed');
          void tr.offsetWidth;
          tr.classList.add('changed');
        }
      }

      function render() {
        const current = filter();
        for (const [state, button] of buttons) {
          const n = state ? (counts[state] || 0) : total;
          button.textContent = (state || 'all') + ' (' + n + ')';
          button.hidden = state !== '' && n === 0 && state !== current;
          button.setAttribute('aria-pressed', String(state === current));
        }
        let shown = 0;
        for (const d of devices) {
          const tr = rows.get(d.mac);
          tr.hidden = current !== '' && d.state !== current;
          if (!tr.hidden) shown++;
        }
        $('empty').hidden = shown > 0;
        const parts = STATES.filter((s) => counts[s]).map((s) => s + ' ' + counts[s]);
        $('summary').textContent = total + ' device' + (total === 1 ? '' : 's') +
          (parts.length ? ': ' + parts.join(', ') : '') + (current ? ' \u00b7 showing ' + shown + ' ' + current : '');
        $('pager').hidden = cursors.length === 1 && !next;
        $('first').disabled = $('prev').disabled = cursors.length === 1;
        $('next').disabled = !next;
        $('page-info').textContent = 'page ' + cursors.length;
      }

      async function refresh() {
        const current = filter();
        const after = cursors[cursors.length - 1];
        const query = '?limit=' + PAGE + (after ? '&after=' + encodeURIComponent(after) : '') +
          (current ? '&state=' + encodeURIComponent(current) : '');
        const [summary, answer] = await Promise.all([api('/provisioning/summary'), api('/provisioning' + query)]);
        if (current !== filter() || after !== cursors[cursors.length - 1]) return; // the view moved meanwhile
        counts = summary.states;
        total = summary.total;
        devices = answer.devices;
        next = answer.next;
        serverTime = answer.time;
        const tbody = $('devices').tBodies[0];
        const seen = new Set();
        let order = rows.size !== devices.length;
        for (const d of devices) {
          seen.add(d.mac);
          let tr = rows.get(d.mac);
          if (!tr) {
            tr = el('tr', { dataset: { mac: d.mac } });
            rows.set(d.mac, tr);
            order = true;
          }
          fill(tr, d);
        }
        for (const [mac, tr] of rows) {
          if (!seen.has(mac)) { tr.remove(); rows.delete(mac); order = true; }
        }
        if (order) tbody.append(...devices.map((d) => rows.get(d.mac)));
        render();
      }

      window.addEventListener('hashchange', filterChanged);
      for (const to of ['first', 'prev', 'next']) $(to).addEventListener('click', () => turn(to));
      makeButtons();
      AP.init(() => AP.poll(refresh, 1000));
    })();
    """#
}
