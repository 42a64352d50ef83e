import Foundation

/// A clock tests move by hand (give the kernel `KernelClock { clock.now }`).
public final class SteppingClock: @unchecked Sendable {  // guarded by its lock
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public var now: Date { lock.withLock { current } }

    public func advance(days: Double) { lock.withLock { current = current.addingTimeInterval(days * 86_400) } }
}
