// libFuzzer target for the phone's xmlService reply parser, compiled by
// Fuzz/run.sh with the parsing files of Sources/PhoneAPI (XMLServiceReply,
// its libxml2 reading, XMLReplyRepair, the item text rules) into one module
// against the system libxml2 (Sources/CLibXML2's module map).
//
// Input: the reply body, as a phone would send it.
// Properties: the repair pre-pass and the parser never trap; the repair
// leaves input without '<' unchanged and never more than doubles it; a
// parsed reply's keys are non-empty, hold no whitespace and are their own
// normalisation (so `value(for:)` finds each of them); values are trimmed;
// a numeric RetCode is the number its text spells.
// No Foundation here: its ICU headers clash with libxml2's in one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkRepair(bytes)
    guard let reply = try? XMLServiceReply(parsing: bytes) else { return 0 }
    for (key, value) in reply.items {
        guard !key.isEmpty, !key.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
            fatalError("key \(Array(key.utf8)) is empty or has whitespace; input: \(bytes)")
        }
        guard XMLServiceItemText.normalisedKey(key[...]) == key, reply.value(for: key) != nil else {
            fatalError("key \(Array(key.utf8)) is not its own normalisation; input: \(bytes)")
        }
        guard value.first?.isWhitespace != true, value.last?.isWhitespace != true else {
            fatalError("value \(Array(value.utf8)) of \(key) is not trimmed; input: \(bytes)")
        }
    }
    if let code = reply.retCode {
        guard let text = reply.retCodeText, Int(text) == code else {
            fatalError("retCode \(code) does not match its text \(String(describing: reply.retCodeText))")
        }
    }
    return 0
}

private func checkRepair(_ bytes: [UInt8]) {
    let repaired = XMLReplyRepair.repair(bytes)
    if !bytes.contains(UInt8(ascii: "<")), repaired != bytes {
        fatalError("repair changed input without a tag: \(bytes)")
    }
    guard repaired.count <= 2 * bytes.count else {
        fatalError("repair grew \(bytes.count) bytes to \(repaired.count): \(bytes)")
    }
}
