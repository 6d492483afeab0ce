// libFuzzer target for the SIP PnP responder's input side, compiled by
// Fuzz/run.sh with Sources/SIPPnP's socket-free files against the SIPWire
// and DHCPv4 modules.
//
// Properties: parsing and answering never trap; whatever parses serializes
// to bytes that parse again to the same start line and body; every datagram
// the responder sends is a SIP message that parses.
import DHCPv4
import SIPWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    if let message = try? SIPMessage(parsing: input) {
        let wire = message.serialized()
        guard let again = try? SIPMessage(parsing: wire) else { fatalError("serialized message does not parse: \(wire)") }
        guard again.startLine == message.startLine, again.body == message.body else {
            fatalError("parse(serialize(m)) differs\nm1: \(message)\nm2: \(again)")
        }
        _ = message.topVia?.stamped(sourceHost: "192.0.2.57", sourcePort: 5060).text
    }
    var responder = PnPResponder(
        localAddresses: ["192.0.2.1"], localPort: 5060, url: "http://192.0.2.1/$mac.cfg", admit: { _ in true })
    for now in [0.0, 0.2] {
        let reaction = responder.receive(PnPDatagram(bytes: input, host: "192.0.2.57", port: 5060, interface: 0), now: now)
        for out in reaction.send + responder.tick(now: now + 40).send {
            guard (try? SIPMessage(parsing: out.bytes)) != nil else { fatalError("sent an unparsable message: \(out.bytes)") }
        }
    }
    return 0
}
