extension AutoprovSettings {
    /// SIP PnP, in plain words.
    func sipPnPExplanation() -> [String] {
        let s = sipPnP
        guard s.enabled else { return ["SIP PnP: off (sip_pnp.enabled is false)."] }
        return [
            "SIP PnP: listening on UDP port \(s.port) on \(s.interfaces.joined(separator: ", ")), joined to \(s.group) on each, nowhere else.",
            "  A SUBSCRIBE with Event ua-profile (profile-type device, or none) from a MAC (From user part) that matches a DHCP class's OUIs/MACs (\(s.ouis.count) OUI(s), \(s.macs.count) MAC(s)) or is in the inventory gets 200 OK, then a NOTIFY (application/url) with \(s.url), `$mac` replaced by the phone's MAC; anything else is counted and dropped unanswered.",
        ]
    }
}
