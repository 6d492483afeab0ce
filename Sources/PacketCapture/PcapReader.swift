import Foundation
import Synchronization

/// Runs a `PcapHandle`'s blocking reads on a thread of its own and hands
/// each frame to `onFrame` there, until the calling task is cancelled (the
/// blocked read is woken by `breakLoop`) or the handle fails.
public enum PcapReader {
    public static func run(
        _ handle: PcapHandle, name: String = "pcap", onFrame: @escaping @Sendable (CapturedFrame) -> Void
    ) async throws {
        let stopFlag = StopFlag()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread {
                    do {
                        while !stopFlag.isSet {
                            if let frame = try handle.next() { onFrame(frame) }
                        }
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "\(name) \(handle.interface)"
                thread.start()
            }
        } onCancel: {
            stopFlag.set()
            handle.breakLoop()
        }
    }
}

/// A stop flag shared by the cancelling task and the reading thread.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
