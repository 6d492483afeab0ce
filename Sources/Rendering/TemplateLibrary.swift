import Foundation
import Mustache
import Synchronization

/// Finds and parses templates: the user's folder first, then the shipped
/// one, file by file; lookup `<mac>` → `<model>` → `base`. Edits are picked
/// up without a restart: files are re-checked at most once per `recheck`
/// seconds, and `generation` changes whenever any template file changed.
public final class TemplateLibrary: Sendable {
    public struct Template: Sendable {
        /// The path relative to its folder, for messages (`device/base.xml.mustache`).
        public var name: String
        public var path: String
        public var format: OutputFormat
        let parsed: MustacheTemplate
    }

    struct Snapshot {
        var checked: Double = -.infinity
        /// path -> (mtime, size) of every template file, to notice edits.
        var stamps: [String: [Double]] = [:]
        var generation: Int64 = 0
        var parsed: [String: Template] = [:]
        /// The outcome of a whole lookup, so that a served file costs no stat.
        var lookups: [String: Template] = [:]
    }

    public let folders: [String]
    let recheck: Double
    private let state = Mutex(Snapshot())

    /// `folders` are vendor folders (`Templates/fanvil`), searched in order.
    public init(folders: [String], recheck: Double = 1) {
        self.folders = folders
        self.recheck = recheck
        _ = OutputFormat.registered
    }

    /// A number that changes whenever a template file is added, removed or edited.
    public func generation(now: Double = Date().timeIntervalSince1970) -> Int64 {
        refresh(now: now)
        return state.withLock { $0.generation }
    }

    /// The template for `kind` and `format`, trying `candidates` in order
    /// (`0c383e07e16c`, `X4`, `base`), each in every folder.
    public func template(kind: String, format: OutputFormat, candidates: [String], now: Double = Date().timeIntervalSince1970)
        throws(RenderError) -> Template
    {
        refresh(now: now)
        let key = "\(kind)|\(format.rawValue)|" + candidates.joined(separator: "|")
        if let found = state.withLock({ $0.lookups[key] }) { return found }
        let found = try lookup(kind: kind, format: format, candidates: candidates)
        state.withLock { $0.lookups[key] = found }
        return found
    }

    func lookup(kind: String, format: OutputFormat, candidates: [String]) throws(RenderError) -> Template {
        var tried: [String] = []
        for candidate in candidates where Self.isSafeName(candidate) {
            let name = "\(kind)/\(candidate).\(format.rawValue).mustache"
            tried.append(name)
            for folder in folders {
                let path = folder + "/" + name
                if let cached = state.withLock({ $0.parsed[path] }) { return cached }
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let template = try parse(path: path, name: name, format: format)
                state.withLock { $0.parsed[path] = template }
                return template
            }
        }
        throw .noTemplate(kind: kind, tried: tried)
    }

    func parse(path: String, name: String, format: OutputFormat) throws(RenderError) -> Template {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .syntax(template: name, message: "cannot be read as UTF-8")
        }
        do {
            // The pragma sets how values are escaped; it adds no output.
            let parsed = try MustacheTemplate(string: format.pragma + text)
            return Template(name: name, path: path, format: format, parsed: parsed)
        } catch {
            throw .syntax(template: name, message: "\(error)")
        }
    }

    /// A candidate comes from a MAC or a User-Agent's model: only plain
    /// names may become part of a path.
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix(".") && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: " ")
        }
    }

    /// Re-reads the folders' file stamps when `recheck` has passed; any
    /// change drops the parsed templates and bumps the generation.
    func refresh(now: Double) {
        let due = state.withLock { snapshot in
            guard now - snapshot.checked >= recheck else { return false }
            snapshot.checked = now
            return true
        }
        guard due else { return }
        let stamps = Self.stamps(folders)
        state.withLock { snapshot in
            if snapshot.stamps != stamps {
                snapshot.stamps = stamps
                snapshot.generation += 1
                snapshot.parsed = [:]
                snapshot.lookups = [:]
            }
        }
    }

    static func stamps(_ folders: [String]) -> [String: [Double]] {
        var stamps: [String: [Double]] = [:]
        let manager = FileManager.default
        for folder in folders {
            guard let enumerator = manager.enumerator(atPath: folder) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let path = folder + "/" + relative
                guard let attributes = try? manager.attributesOfItem(atPath: path),
                      attributes[.type] as? FileAttributeType == .typeRegular else { continue }
                let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                let size = (attributes[.size] as? NSNumber)?.doubleValue ?? 0
                stamps[path] = [mtime, size]
            }
        }
        return stamps
    }
}
