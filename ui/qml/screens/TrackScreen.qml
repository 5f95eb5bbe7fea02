import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"

// Follow an order and rate it: scan the receipt (or type the code), see the timeline, rate.
ScreenPage {
    id: page
    objectName: "trackScreen"
    handlesBack: true
    showBack: tracking.step !== "thanks"
    title: {
        switch (tracking.step) {
        case "status": return qsTr("预约进度")
        case "rate": return qsTr("评价服务")
        case "thanks": return qsTr("谢谢您的评价")
        default: return qsTr("查询 / 评价")
        }
    }
    onBackRequested: {
        if (!tracking.back())
            nav.back()
    }
    // Scans go to the screen on show, from the moment it starts to come in until it starts to go.
    StackView.onActivating: scanner.claim("track")
    StackView.onDeactivating: scanner.release("track")

    StepView {
        objectName: "trackStep"
        anchors.fill: parent
        source: Qt.resolvedUrl("track/" + tracking.step + ".qml")
    }
}
