import DHCPServer
import DHCPv4

/// Two classes for the export tests: Fanvil phones by OUI, vendor class and
/// one exact MAC (options 66 and 43, always sent), then a second class by
/// OUI and MAC (option 66 and an NTP address, sent only when asked for).
enum SnippetLab {
    static let url = "http://192.0.2.1:8080/$mac.cfg"
    static let fanvil = ClientClass(
        name: "fanvil", ouis: [0x0c383e, 0x00a859], vendorClassSubstrings: ["Fanvil"],
        macs: [MACAddress("02:00:00:00:00:10")!],
        options: [.tftpServerName: Array(url.utf8), .vendorSpecific: Array(url.utf8)], alwaysSend: true)
    static let lab = ClientClass(
        name: "lab-phones", ouis: [0x001565], macs: [MACAddress("02:00:00:00:00:20")!, MACAddress("02:00:00:00:00:21")!],
        options: [.tftpServerName: Array("tftp://192.0.2.5".utf8), .ntpServers: [192, 0, 2, 1]], alwaysSend: false)
    static let classes = [fanvil, lab]

    /// Option 66 with every character the syntaxes treat specially, and a
    /// vendor class with regular-expression characters.
    static let tricky = ClientClass(
        name: "tricky", vendorClassSubstrings: ["Fan.vil (X)"],
        options: [.tftpServerName: Array(#"http://a/"q"\b,c #d/$mac"#.utf8)], alwaysSend: true)

    /// Option 66 with bytes no quoted text can carry.
    static let binary = ClientClass(
        name: "binary", ouis: [0x0c383e], options: [.tftpServerName: [0x00, 0x41, 0xFF]], alwaysSend: true)

    static let source = "/etc/autoprov/autoprov.yml"
}
