// libFuzzer target for the DHCPv4 decoder, compiled together with
// Sources/DHCPv4/*.swift into one module by Fuzz/run.sh.
//
// Property: decoding never traps, and whatever decodes re-encodes to bytes
// that decode to an equal message and re-encode identically.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let m1 = try? DHCPMessage.decode(input) else { return 0 }
    let e = m1.encode()
    let m2: DHCPMessage
    do {
        m2 = try DHCPMessage.decode(e)
    } catch {
        fatalError("re-encoded message does not decode: \(error)\ninput: \(input)\nencoded: \(e)")
    }
    guard m2 == m1 else {
        fatalError("decode(encode(m)) != m\nm1: \(m1)\nm2: \(m2)\ninput: \(input)")
    }
    guard m2.encode() == e else {
        fatalError("encoding is not stable\nfirst: \(e)\nsecond: \(m2.encode())")
    }
    return 0
}
