/// A value read from the queue's tables that the queue does not know (a state, an errors history,
/// a schedule's time zone): reported with the value, never read as something else.
public struct QueueDataError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
