import SIPWire
import Testing

/// The top Via and where responses go (RFC 3261 §18.2.1-2, RFC 3581).
@Suite struct SIPViaTests {
    @Test func parsesAndStampsRport() throws {
        let via = try #require(SIPVia("SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bK1;rport, SIP/2.0/UDP 10.0.0.8"))
        #expect(via.transport == "UDP")
        #expect(via.host == "10.0.0.7")
        #expect(via.port == 5060)
        #expect(via.parameter("branch") == "z9hG4bK1")
        let stamped = via.stamped(sourceHost: "10.0.0.7", sourcePort: 40000)
        #expect(stamped.text == "SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bK1;received=10.0.0.7;rport=40000")
        #expect(via.responseDestination(sourceHost: "10.0.0.7", sourcePort: 40000) == ("10.0.0.7", 40000))
    }

    @Test func withoutRportTheResponseGoesToTheSentByPortAtTheSourceAddress() throws {
        let via = try #require(SIPVia("SIP/2.0/udp phone.local;branch=z9hG4bK2;maddr=224.0.1.75"))
        #expect(via.port == nil)
        #expect(via.stamped(sourceHost: "10.0.0.9", sourcePort: 5062).text
            == "SIP/2.0/UDP phone.local;branch=z9hG4bK2;received=10.0.0.9;maddr=224.0.1.75")
        // Not the maddr, not a host name: the address the request came from.
        #expect(via.responseDestination(sourceHost: "10.0.0.9", sourcePort: 5062) == ("10.0.0.9", 5060))
        #expect(SIPVia("SIP/2.0/UDP 10.0.0.9:5070").map { $0.responseDestination(sourceHost: "10.0.0.9", sourcePort: 1) == ("10.0.0.9", 5070) } == true)
    }

    @Test(arguments: ["", "SIP/2.0/UDP", "HTTP/1.1/TCP host", "SIP/2.0/UDP host:99999", "SIP/2.0/UDP :5060"])
    func refusesGarbage(value: String) {
        #expect(SIPVia(value) == nil)
    }
}
