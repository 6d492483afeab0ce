import SIPPnP
import Testing
@testable import PhoneSim

/// The simulated phone's PnP subscription is one autoprov's responder
/// answers, and its 200 to the NOTIFY closes that NOTIFY's transaction.
@Suite struct SIPPnPClientTests {
    let client = SIPPnPClient(
        localHost: "127.64.1.9", mac: "0c383e100009", model: "X4", firmware: "2.10.2.6887",
        group: "224.0.1.75", port: 5060, userAgent: "Fanvil X4 2.10.2.6887 0c383e100009")

    @Test func itsSubscribeIsAPnPDeviceSubscription() throws {
        let request = client.request(localPort: 40001, callID: "c1@127.64.1.9")
        #expect(request.startLine == .request(method: "SUBSCRIBE", uri: "sip:0c383e100009@224.0.1.75"))
        let read = try PnPSubscribe.read(try SIPMessage(parsing: request.serialized())).get()
        #expect(read.mac.compact == "0c383e100009")
        #expect(read.profileType == "device")
        #expect(read.agent == "Fanvil X4 2.10.2.6887")
        #expect(request.headers["Accept"] == "application/url")
        #expect(request.headers["Contact"] == "<sip:0c383e100009@127.64.1.9:40001>")
    }

    @Test func itsAnswerToTheNotifyIsCountedByTheResponder() throws {
        var responder = PnPResponder(localAddresses: ["127.0.0.1"], localPort: 5060, url: "http://127.0.0.1:8080/$mac.cfg") { _ in true }
        let subscribe = client.request(localPort: 40001, callID: "c1@127.64.1.9").serialized()
        let reaction = responder.receive(PnPDatagram(bytes: subscribe, host: "127.64.1.9", port: 40001, interface: 0), now: 0)
        let notify = try SIPMessage(parsing: try #require(reaction.send.last).bytes)
        #expect(notify.method == "NOTIFY")
        #expect(String(decoding: notify.body, as: UTF8.self) == "http://127.0.0.1:8080/0c383e100009.cfg")
        let ok = SIPPnPClient.ok(to: notify)
        #expect(ok.status == 200)
        #expect(ok.headers["CSeq"] == "1 NOTIFY")
        let answered = responder.receive(PnPDatagram(bytes: ok.serialized(), host: "127.64.1.9", port: 40001, interface: 0), now: 0.1)
        #expect(answered.outcome == .notifyAnswered)
        #expect(responder.tick(now: 5).send.isEmpty)
    }
}
