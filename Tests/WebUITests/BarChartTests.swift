import Testing
@testable import WebUI

/// The dashboard's charts, drawn by the server.
@Suite("Front desk: bar charts as inline SVG")
struct BarChartTests {
    static func heights(_ svg: String) -> [Int] {
        svg.matches(of: /<rect [^>]*height="(\d+)"/).map { Int($0.1)! }
    }

    @Test("bars are scaled to the largest value, in the order given, with their labels as text")
    func scaled() {
        let chart = BarChart(title: "Ciro", bars: [.init(label: "Kadıköy", value: 0, shown: "0,00 ₺"),
                                                 .init(label: "Merkez", value: 200, shown: "2,00 ₺"),
                                                 .init(label: "Moda", value: 100, shown: "1,00 ₺")])
        let svg = chart.svg
        #expect(Self.heights(svg) == [0, 176, 88])
        #expect(svg.contains("<title>Kadıköy: 0,00 ₺</title>"))
        #expect(svg.contains("aria-label=\"Ciro\""))
    }

    @Test("labels are escaped, and an empty or all-zero chart draws no bar of height")
    func escapedAndEmpty() {
        let svg = BarChart(title: "<b>", bars: [.init(label: "A&B <script>", value: 0, shown: "0")]).svg
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("A&amp;B &lt;script&gt;"))
        #expect(Self.heights(svg) == [0])
        #expect(Self.heights(BarChart(title: "", bars: []).svg) == [])
    }
}
