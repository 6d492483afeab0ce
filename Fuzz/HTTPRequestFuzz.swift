// libFuzzer target for the config server's request parsers, compiled by
// Fuzz/run.sh together with Sources/ConfigServer/{RequestPath,FetchRefusal,
// DigestParameters}.swift into one module.
//
// Input: one byte picks the parser and the prefix, the rest is the text.
// Properties: a served file name is a plain name (no "/", "\", "%", "..",
// no leading "."), refusals are bad-path or not-found; the Digest parameter
// parser never traps and finds at most one parameter per "=".
import Foundation

/// Stand-in for Sources/ConfigServer/DigestAuthenticator.swift, which needs
/// swift-crypto: DigestParameters.swift only extends the type.
struct DigestAuthenticator {}

private let prefixes = ["/", "/fanvil/", "/prov/", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if selector & 0x80 == 0 {
        checkFileName(text, prefix: prefixes[Int(selector) % prefixes.count])
    } else {
        checkParameters(text)
    }
    return 0
}

private func checkFileName(_ target: String, prefix: String) {
    switch RequestPath.fileName(target: target, prefix: prefix) {
    case .file(let name):
        let bad = name.isEmpty || name.contains("/") || name.hasPrefix(".") || name.contains("..")
            || name.contains("%") || name.contains("\\") || name.contains("?")
            || name.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E })
        if bad {
            fatalError("fileName(target: \(Array(target.utf8)), prefix: \(prefix)) served \(Array(name.utf8))")
        }
        guard target.hasPrefix(prefix + name) else {
            fatalError("served name \(name) is not the target's path after \(prefix): \(Array(target.utf8))")
        }
    case .refused(let refusal):
        guard refusal == .badPath || refusal == .notFound else {
            fatalError("unexpected refusal \(refusal) for \(Array(target.utf8))")
        }
    }
}

private func checkParameters(_ text: String) {
    let parameters = DigestAuthenticator.parameters(text)
    let equals = text.utf8.count(where: { $0 == UInt8(ascii: "=") })
    guard parameters.count <= equals else {
        fatalError("\(parameters.count) parameters from \(equals) \"=\", input: \(Array(text.utf8))")
    }
}
