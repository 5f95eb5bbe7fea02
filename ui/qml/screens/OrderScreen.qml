import QtQuick
import QtQuick.Layouts
import "../components"

// The order form: one question at a time, with "question n of m" and a way back from each.
ScreenPage {
    id: page
    objectName: "orderScreen"
    handlesBack: true
    showBack: ordering.step !== "done"
    title: {
        switch (ordering.step) {
        case "detail": return shell.pick(ordering.service.name)
        case "confirm": return qsTr("请核对预约信息")
        case "done": return qsTr("预约成功")
        default: return qsTr("填写预约信息")
        }
    }
    onBackRequested: {
        if (!ordering.back())
            nav.back()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        // Progress: one dot per question that applies, the current one larger.
        Row {
            objectName: "orderProgress"
            Layout.alignment: Qt.AlignHCenter
            visible: ordering.progressIndex > 0
            spacing: Theme.gap / 2
            Text {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("第 %1 步，共 %2 步").arg(ordering.progressIndex).arg(ordering.progressTotal)
                font.pixelSize: Theme.fontSmall
                color: Theme.textMuted
            }
            Repeater {
                model: ordering.progressTotal
                Rectangle {
                    required property int index
                    anchors.verticalCenter: parent.verticalCenter
                    width: index + 1 === ordering.progressIndex ? Theme.fontSmall : Theme.fontSmall * 0.6
                    height: width
                    radius: width / 2
                    color: index < ordering.progressIndex ? Theme.secondary : Theme.border
                }
            }
        }
        StepView {
            objectName: "orderStep"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: Qt.resolvedUrl("order/" + ordering.step + ".qml")
        }
    }
}
