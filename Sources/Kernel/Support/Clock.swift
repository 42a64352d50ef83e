import Foundation

/// Where the kernel reads the time from; tests move it forward to expire tokens and throttles.
public struct Clock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = Clock { Date() }
}

/// The clock under a name other modules can use (`Kernel.Clock` names a member of the `Kernel` struct).
public typealias KernelClock = Clock
