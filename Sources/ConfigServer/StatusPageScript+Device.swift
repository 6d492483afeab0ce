extension StatusPageScript {
    /// `/ui/devices/<mac>`: the device's provisioning and its last 100
    /// events, refreshed every second; "Re-push" asks for a push
    /// (`POST /api/v1/devices/<mac>/push`).
    static let device = #"""
    'use strict';
    (() => {
      const { $, api, el } = AP;
      const mac = decodeURIComponent(location.pathname.split('/').pop());
      const path = '/devices/' + encodeURIComponent(mac);
      document.title = 'autoprov: ' + mac;
      let lastEvents = '';

      function fact(name, ...value) { return [el('dt', {}, name), el('dd', { dataset: { fact: name } }, ...value)]; }

      function renderDevice(p) {
        $('title').textContent = (p.label ? p.label + ' \u00b7 ' : '') + p.mac;
        $('facts').replaceChildren(
          ...fact('MAC', p.mac),
          ...fact('Model', p.model || '-'),
          ...fact('IP', p.ip || '-'),
          ...fact('State', AP.stateBadge(p.state)),
          ...fact('Reason', p.reason || '-'),
          ...fact('Trigger', p.trigger || '-'),
          ...fact('Started', p.started ? AP.time(p.started) : '-'),
          ...fact('In this state since', p.updated ? AP.time(p.updated) : '-'),
          ...fact('Last event', p.last_event ? AP.eventText(p.last_event, p.last_event_status) + ' at ' + AP.time(p.last_event_time) : '-'),
        );
        const reg = $('registration');
        if (p.registration.length) {
          reg.className = '';
          reg.replaceChildren(...AP.registration(p.registration), el('span', { className: 'muted' }, 'as of ' + AP.time(p.registration_time)));
        } else {
          reg.className = 'muted';
          reg.textContent = 'Not known yet.';
        }
      }

      function renderEvents(events) {
        const text = JSON.stringify(events);
        if (text === lastEvents) return;
        lastEvents = text;
        $('events').tBodies[0].replaceChildren(...events.map((e) => el('tr', { dataset: { kind: e.kind } },
          el('td', { className: 'time', title: new Date(e.time * 1000).toISOString() }, AP.time(e.time)),
          el('td', { className: 'kind' }, e.kind),
          el('td', { className: 'ip' }, e.ip || ''),
          el('td', { className: 'file', title: e.user_agent || null }, e.file || ''),
          el('td', { className: 'status' }, e.status === null ? '' : String(e.status)),
          el('td', { className: 'reason' }, e.reason || ''),
        )));
      }

      async function refresh() {
        let p;
        try {
          p = await api(path + '/provisioning');
        } catch (e) {
          if (e.status === 404) {
            $('missing').hidden = false;
            $('missing').textContent = 'There is no device ' + mac + ' in the inventory.';
            $('detail').hidden = true;
            return;
          }
          throw e;
        }
        $('missing').hidden = true;
        $('detail').hidden = false;
        renderDevice(p);
        renderEvents((await api(path + '/events?limit=100')).events);
      }

      $('push').addEventListener('click', async () => {
        const button = $('push'), result = $('push-result');
        button.disabled = true;
        result.className = '';
        result.textContent = 'Asking\u2026';
        try {
          const answer = await api(path + '/push', 'POST');
          result.textContent = 'Push requested at ' + AP.time(answer.requested) + '; the server picks it up within a second.';
        } catch (e) {
          result.className = 'error';
          result.textContent = 'The push was not requested: ' + e.message;
        } finally {
          button.disabled = false;
        }
      });

      AP.init(() => AP.poll(refresh, 1000));
    })();
    """#
}
