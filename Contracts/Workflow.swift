/// A step an item goes through, in the sector's own words.
public struct WorkflowStage: Sendable, Codable, Equatable {
    public var id: String
    public var name: LocalizedText
    /// Done away from the counter (pick-up, delivery): couriers record it from a phone.
    public var fieldWork: Bool

    public init(id: String, name: LocalizedText, fieldWork: Bool = false) {
        self.id = id
        self.name = name
        self.fieldWork = fieldWork
    }
}

/// How items move from intake to the customer's hands, as a sector declares it.
///
/// Besides the declared stages every item can be `cancelled` (from a cancellable stage), `returned`
/// (after delivery, by a customer who brings it back) and sent to re-work (from ready, delivered or
/// returned, back to `reworkStage`). The kernel owns those three moves; modules declare the rest.
public struct Workflow: Sendable, Equatable {
    public static let cancelled = "cancelled"
    public static let returned = "returned"

    /// In the order items normally pass through them.
    public var stages: [WorkflowStage]
    /// Allowed moves: from a stage to the stages that may follow it.
    public var transitions: [String: [String]]
    public var initialStage: String
    /// The stage that means "ready for the customer".
    public var readyStage: String
    /// The stage that means "in the customer's hands".
    public var deliveredStage: String
    /// Where a re-work sends an item back to.
    public var reworkStage: String
    /// Entering these stages notifies the customer (accepted, ready, delivered…).
    public var notifyingStages: Set<String>
    /// Stages from which an item may still be cancelled.
    public var cancellableStages: Set<String>
    /// How long the work usually takes; the default promised-ready time.
    public var turnaroundHours: Int

    public init(
        stages: [WorkflowStage], transitions: [String: [String]], initialStage: String, readyStage: String,
        deliveredStage: String, reworkStage: String, notifyingStages: Set<String>, cancellableStages: Set<String>,
        turnaroundHours: Int
    ) {
        self.stages = stages
        self.transitions = transitions
        self.initialStage = initialStage
        self.readyStage = readyStage
        self.deliveredStage = deliveredStage
        self.reworkStage = reworkStage
        self.notifyingStages = notifyingStages
        self.cancellableStages = cancellableStages
        self.turnaroundHours = turnaroundHours
    }

    public func stage(_ id: String) -> WorkflowStage? {
        stages.first { $0.id == id }
    }

    /// The stages a scan may move an item to from `stage`.
    public func next(from stage: String) -> [String] {
        transitions[stage] ?? []
    }

    /// Position in the normal flow; an order's stage is the least advanced of its items'.
    /// A returned item counts as being back at the re-work stage.
    public func rank(of stage: String) -> Int {
        if stage == Self.returned { return rank(of: reworkStage) }
        return stages.firstIndex { $0.id == stage } ?? stages.count
    }

    /// Whether re-work may start from `stage`.
    public func allowsRework(from stage: String) -> Bool {
        stage == Self.returned || (stage != Self.cancelled && rank(of: stage) >= rank(of: readyStage))
    }

    /// Problems that make the workflow unusable; empty when it is sound.
    public func problems() -> [String] {
        var problems: [String] = []
        let ids = stages.map(\.id)
        if Set(ids).count != ids.count { problems.append("stage ids repeat") }
        if ids.isEmpty { problems.append("there are no stages") }
        for reserved in [Self.cancelled, Self.returned] where ids.contains(reserved) {
            problems.append("'\(reserved)' is the kernel's own stage")
        }
        for (name, id) in [("initial", initialStage), ("ready", readyStage), ("delivered", deliveredStage), ("re-work", reworkStage)] where !ids.contains(id) {
            problems.append("the \(name) stage '\(id)' is not a stage")
        }
        for (from, targets) in transitions {
            for id in [from] + targets where !ids.contains(id) {
                problems.append("transition \(from) → \(targets) names an unknown stage '\(id)'")
            }
        }
        for id in notifyingStages.union(cancellableStages) where !ids.contains(id) {
            problems.append("'\(id)' is not a stage")
        }
        // Every stage must lead to delivery.
        var reached: Set<String> = [initialStage]
        var frontier = [initialStage]
        while let stage = frontier.popLast() {
            for next in next(from: stage) where reached.insert(next).inserted {
                frontier.append(next)
            }
        }
        if !reached.contains(deliveredStage) { problems.append("delivery cannot be reached from '\(initialStage)'") }
        if turnaroundHours < 0 { problems.append("turnaround must not be negative") }
        return problems
    }
}
