/// xmlService semantics of a simulated phone (FANVIL.md §4): `get`, `set`,
/// `del` and execute, applied to its `PhoneState`. Pure apart from the
/// state; the HTTP layer writes the answer and carries out the effects.
public enum XMLServiceEngine {
    /// RetCode for a request the phone cannot read or a bad `set` item.
    public static let badRequestCode = -1
    /// RetCode of the `set-fails` fault.
    public static let setFailedCode = 1

    /// The phone's answer, or `nil` when it drops the connection without one
    /// (the `reboot-on-push` fault on the first `set`; the caller reboots).
    public static func answer(_ call: XMLServiceCall, state: PhoneState) -> XMLServiceAnswer? {
        switch call {
        case .unreadable:
            return XMLServiceAnswer(retCode: badRequestCode)
        case let .execute(uris):
            let reboot = uris.contains { $0.lowercased().contains("reboot") }
            return XMLServiceAnswer(root: "FanvilPhoneExecute", retCode: 0, effects: reboot ? [.reboot] : [])
        case let .configuration(command, items):
            switch command {
            case "get": return get(items, state: state)
            case "set": return set(items, state: state)
            case "del": return del(items, state: state)
            default: return XMLServiceAnswer(retCode: badRequestCode)
            }
        }
    }

    /// Each key's value; a key ending in `.` gives everything under it,
    /// `.` everything; an unknown key comes back empty.
    static func get(_ texts: [String], state: PhoneState) -> XMLServiceAnswer {
        let items: [(key: String, value: String)] = state.withLock { snapshot in
            let info = PhoneInfo.items(identity: state.identity, faults: state.faults, snapshot: snapshot)
            var result: [(key: String, value: String)] = []
            for text in texts {
                let key = KeyValueText.normalisedKey(text.prefix(while: { $0 != "=" }))
                guard !key.isEmpty else { continue }
                if PhoneSettings.isPrefix(key) {
                    let settings = snapshot.settings.items(under: key)
                    let infos = info.filter { PhoneSettings.key($0.key, isUnder: key) }
                    result += (settings + infos).sorted { $0.key < $1.key }
                } else if let value = snapshot.settings[key] ?? info.first(where: { $0.key == key })?.value {
                    result.append((key, value))
                } else {
                    result.append((key, ""))
                }
            }
            return result
        }
        return XMLServiceAnswer(retCode: 0, items: items)
    }

    /// Applies `key = value` items in order; an empty key, an item without
    /// `=` or an `info.*` key stops there with RetCode -1 (the earlier items
    /// stay applied). Lines whose keys changed are registered again.
    static func set(_ texts: [String], state: PhoneState) -> XMLServiceAnswer? {
        let outcome: (drop: Bool, answer: XMLServiceAnswer) = state.withLock { snapshot in
            if state.faults.rebootOnPush, !snapshot.pushRebootDone {
                snapshot.pushRebootDone = true
                return (true, XMLServiceAnswer(retCode: 0, effects: [.reboot]))
            }
            if state.faults.setFails { return (false, XMLServiceAnswer(retCode: setFailedCode)) }
            var lines = Set<Int>()
            var code = 0
            for text in texts {
                guard let item = KeyValueText.splitDetailed(text), item.hasEquals, !item.key.isEmpty,
                      !item.key.hasPrefix("info."), !item.key.hasSuffix(".")
                else { code = badRequestCode; break }
                snapshot.settings[item.key] = item.value
                if let line = PhoneSettings.lineNumber(of: item.key) { lines.insert(line) }
            }
            if texts.isEmpty { code = badRequestCode }
            let effects: [XMLServiceAnswer.Effect] = lines.isEmpty ? [] : [.reregister(lines: lines.sorted())]
            return (false, XMLServiceAnswer(retCode: code, effects: effects))
        }
        return outcome.drop ? nil : outcome.answer
    }

    /// Deletes keys, or everything under a key ending in `.`.
    static func del(_ texts: [String], state: PhoneState) -> XMLServiceAnswer {
        let keys = texts.map { KeyValueText.normalisedKey($0.prefix(while: { $0 != "=" })) }
        guard !keys.isEmpty, !keys.contains(where: { $0.isEmpty || $0.hasPrefix("info.") }) else {
            return XMLServiceAnswer(retCode: badRequestCode)
        }
        state.withLock { snapshot in
            for key in keys { snapshot.settings.delete(key) }
        }
        return XMLServiceAnswer(retCode: 0)
    }
}
