import QtQuick
import QtQuick.Layouts
import "../../components"

// The order's timeline: every stage, done ones ticked with their time.
ColumnLayout {
    id: view
    spacing: Theme.gap * 0.6
    readonly property var o: tracking.order
    readonly property var stages: o.status === "cancelled"
        ? ["submitted", "cancelled"]
        : ["submitted", "dispatched", "accepted", "in_service", "completed"]

    function stageName(s) {
        switch (s) {
        case "submitted": return qsTr("已提交")
        case "dispatched": return qsTr("已派单")
        case "accepted": return qsTr("志愿者已接单")
        case "in_service": return qsTr("服务中")
        case "completed": return qsTr("服务完成")
        case "cancelled": return qsTr("已取消")
        default: return s
        }
    }
    function entry(s) {
        const t = o.timeline || []
        for (let i = 0; i < t.length; ++i)
            if (t[i].status === s)
                return t[i]
        return null
    }

    Text {
        Layout.fillWidth: true
        text: shell.pick(view.o.service)
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        objectName: "trackedCode"
        Layout.fillWidth: true
        text: qsTr("预约号 %1").arg(view.o.code)
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        visible: !view.o.live
        text: qsTr("这个预约还没有传到服务平台（待同步），网络恢复后会自动上传。")
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.warn
        wrapMode: Text.WordWrap
    }
    Repeater {
        model: view.stages
        delegate: RowLayout {
            id: stageRow
            required property string modelData
            required property int index
            readonly property var done: view.entry(modelData)
            Layout.fillWidth: true
            spacing: Theme.gap
            Rectangle {
                Layout.preferredWidth: Theme.fontLarge * 1.2
                Layout.preferredHeight: Layout.preferredWidth
                radius: width / 2
                color: stageRow.done ? (stageRow.modelData === "cancelled" ? Theme.bad : Theme.ok) : Theme.border
                Text {
                    anchors.centerIn: parent
                    text: stageRow.done ? "✓" : stageRow.index + 1
                    color: "#FFFFFF"
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Text {
                    objectName: "stage_" + stageRow.modelData
                    text: view.stageName(stageRow.modelData)
                    font.pixelSize: Theme.fontLarge
                    font.bold: stageRow.done !== null
                    color: stageRow.done ? Theme.text : Theme.textMuted
                }
                Text {
                    visible: stageRow.done !== null
                    text: stageRow.done ? Qt.formatDateTime(new Date(stageRow.done.at * 1000), "MM-dd hh:mm")
                          + (stageRow.done.by ? "  " + shell.pick(stageRow.done.by.name || stageRow.done.by) : "") : ""
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textMuted
                }
            }
        }
    }
    Text {
        Layout.fillWidth: true
        visible: view.o.rating !== null && view.o.rating !== undefined
        text: qsTr("您已评价：%1 星").arg(view.o.rating ? view.o.rating.stars : 0)
        font.pixelSize: Theme.fontBody
        color: Theme.ok
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: tracking.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "rateButton"
        Layout.fillWidth: true
        primary: true
        visible: view.o.status === "completed" && !view.o.rating
        text: qsTr("评价这次服务")
        onClicked: tracking.startRating()
    }
    KioskButton {
        objectName: "doneButton"
        Layout.fillWidth: true
        text: qsTr("返回首页")
        onClicked: nav.home()
    }
}
