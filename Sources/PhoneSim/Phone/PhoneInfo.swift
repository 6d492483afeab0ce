import DHCPv4
import NIOCore

/// The read-only `info.*` keys a phone answers (FANVIL.md §4).
enum PhoneInfo {
    /// Every info key and value for this phone now, sorted by key.
    static func items(identity: PhoneIdentity, faults: PhoneFaults, snapshot: PhoneState.Snapshot)
        -> [(key: String, value: String)]
    {
        let mac = faults.wrongMAC ? MACAddress(value: identity.mac.value ^ 0x0000_00FF_FFFF) : identity.mac
        let upTime = (NIODeadline.now() - snapshot.bootTime).nanoseconds / 1_000_000_000
        var items: [(key: String, value: String)] = [
            ("info.dev.Mac", mac.compact),
            ("info.dev.Model", identity.model),
            ("info.dev.SN", identity.serial),
            ("info.dev.Vendor", "Fanvil"),
            ("info.sys.FlashFree", "8192"),
            ("info.sys.FwVersion", identity.firmware),
            ("info.sys.HwVersion", "1.0"),
            ("info.sys.MemFree", "65536"),
            ("info.sys.UpTime", String(upTime)),
        ]
        for line in snapshot.settings.lineNumbers {
            items.append(("info.sip.line.\(line).registerCode", String(snapshot.registerCodes[line] ?? 0)))
        }
        return items.sorted { $0.key < $1.key }
    }
}
