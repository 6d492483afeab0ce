import NIOCore
import Rendering
import Synchronization

/// Rendered files by device and file name, each valid for one device
/// revision, group revision and template generation: any edit of the
/// device, its group or a template makes the next fetch render again.
public final class RenderCache: Sendable {
    struct Key: Hashable {
        var mac: UInt64
        var file: String
    }

    struct Entry {
        var stamp: [Int64]
        var file: RenderedFile
        /// The body as bytes, made once and shared by every answer.
        var bytes: ByteBuffer
    }

    private let entries = Mutex([Key: Entry]())
    let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    func get(mac: UInt64, file: String, stamp: [Int64]) -> (RenderedFile, ByteBuffer)? {
        entries.withLock { entries in
            guard let entry = entries[Key(mac: mac, file: file)], entry.stamp == stamp else { return nil }
            return (entry.file, entry.bytes)
        }
    }

    @discardableResult
    func put(mac: UInt64, file: String, stamp: [Int64], rendered: RenderedFile) -> ByteBuffer {
        let bytes = ByteBuffer(string: rendered.body)
        entries.withLock { entries in
            // Bounded: past capacity start over (rendering again is cheap).
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(mac: mac, file: file)] = Entry(stamp: stamp, file: rendered, bytes: bytes)
        }
        return bytes
    }
}
