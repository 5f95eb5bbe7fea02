import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("您对这次服务满意吗？")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Row {
        Layout.alignment: Qt.AlignHCenter
        spacing: Theme.gap / 2
        Repeater {
            model: 5
            delegate: Rectangle {
                id: star
                required property int index
                objectName: "star_" + (index + 1)
                width: Theme.touchMin * 1.3
                height: width
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border
                border.width: Theme.borderWidth
                Text {
                    anchors.centerIn: parent
                    text: star.index < tracking.stars ? "★" : "☆"
                    color: star.index < tracking.stars ? "#E0A000" : Theme.textMuted
                    font.pixelSize: parent.width * 0.7
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: tracking.setStars(star.index + 1)
                }
            }
        }
    }
    Text {
        Layout.fillWidth: true
        text: [qsTr("请点星星打分"), qsTr("很不满意"), qsTr("不太满意"), qsTr("一般"), qsTr("满意"),
               qsTr("非常满意")][tracking.stars]
        font.pixelSize: Theme.fontLarge
        color: Theme.secondary
        horizontalAlignment: Text.AlignHCenter
    }
    Flow {
        Layout.fillWidth: true
        spacing: Theme.gap / 2
        Repeater {
            model: catalogue.ratingTags
            delegate: Chip {
                required property var modelData
                objectName: "rateTag_" + modelData.id
                text: shell.pick(modelData.name)
                checked: tracking.tags.indexOf(modelData.id) >= 0
                onClicked: tracking.toggleTag(modelData.id)
            }
        }
    }
    TextField {
        id: comment
        objectName: "commentField"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight
        font.pixelSize: Theme.fontBody
        placeholderText: qsTr("还想说点什么？（可不填）")
        maximumLength: 200
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: tracking.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "submitRatingButton"
        Layout.fillWidth: true
        primary: true
        enabled: !tracking.busy
        text: qsTr("提交评价")
        onClicked: { comment.focus = false; tracking.submitRating(comment.text) }
    }
}
