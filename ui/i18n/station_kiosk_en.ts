<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Balance</name>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>%1 积分</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <source>兑换前积分</source>
        <translation>Points before</translation>
    </message>
    <message>
        <source>兑换后积分</source>
        <translation>Points after</translation>
    </message>
</context>
<context>
    <name>CategoriesScreen</name>
    <message>
        <source>请选择服务类别</source>
        <translation>Choose a kind of service</translation>
    </message>
    <message>
        <source>服务目录正在更新，请稍后再试，或拨打服务站电话。</source>
        <translation>The service list is being updated. Please try again shortly, or call the station.</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <source>关闭演示</source>
        <translation>Close demo</translation>
    </message>
    <message>
        <source>演示：模拟扫码</source>
        <translation>Demo: scan a sample</translation>
    </message>
</context>
<context>
    <name>EnrolForm</name>
    <message>
        <source>服务平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <source>注册码</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <source>正在注册……</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <source>注册本机</source>
        <translation>Enrol this kiosk</translation>
    </message>
</context>
<context>
    <name>Finish</name>
    <message>
        <source>完成（%1秒后自动返回）</source>
        <translation>Done (home in %1 s)</translation>
    </message>
</context>
<context>
    <name>GiftTile</name>
    <message>
        <source>%1 积分</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <source>本机已兑完</source>
        <translation>Gone at this machine</translation>
    </message>
    <message>
        <source>本机剩余 %1</source>
        <translation>%1 left here</translation>
    </message>
    <message>
        <source> · 每人限 %1 份</source>
        <translation> · max %1 per person</translation>
    </message>
    <message>
        <source>还差 %1 积分</source>
        <translation>%1 points short</translation>
    </message>
    <message>
        <source>已选 %1，再加一份</source>
        <translation>%1 chosen, add one more</translation>
    </message>
    <message>
        <source>选这个</source>
        <translation>Choose</translation>
    </message>
</context>
<context>
    <name>GiftsScreen</name>
    <message>
        <source>可兑换礼品</source>
        <translation>Gifts you can redeem</translation>
    </message>
    <message>
        <source>扫志愿者码后即可兑换</source>
        <translation>Scan your volunteer code to redeem</translation>
    </message>
</context>
<context>
    <name>HomeOrdering</name>
    <message>
        <source>您好！需要什么帮助？</source>
        <translation>Hello! How can we help?</translation>
    </message>
    <message>
        <source>点</source>
        <translation>O</translation>
    </message>
    <message>
        <source>我要点单</source>
        <translation>Order a service</translation>
    </message>
    <message>
        <source>预约志愿服务：助老、助残、维修、法律咨询……</source>
        <translation>Book volunteer help: elderly care, disability help, repairs, legal advice…</translation>
    </message>
    <message>
        <source>查</source>
        <translation>T</translation>
    </message>
    <message>
        <source>查询 / 评价</source>
        <translation>Track / rate</translation>
    </message>
    <message>
        <source>扫描小票上的二维码，查看进度、评价服务</source>
        <translation>Scan the QR on your receipt to see progress and rate the service</translation>
    </message>
    <message>
        <source>扫</source>
        <translation>P</translation>
    </message>
    <message>
        <source>手机扫码点单</source>
        <translation>Order on your phone</translation>
    </message>
    <message>
        <source>用自己的手机下单</source>
        <translation>Use your own phone to order</translation>
    </message>
</context>
<context>
    <name>HomeRedemption</name>
    <message>
        <source>志愿者积分兑换</source>
        <translation>Volunteer points exchange</translation>
    </message>
    <message>
        <source>请打开手机上的志愿者码，对准下方扫码口</source>
        <translation>Open your volunteer code on your phone and hold it to the scanner below</translation>
    </message>
    <message>
        <source>正在识别，请稍候…</source>
        <translation>Checking your code, one moment…</translation>
    </message>
    <message>
        <source>没有手机？输入会员号和密码</source>
        <translation>No phone? Enter member number and PIN</translation>
    </message>
    <message>
        <source>先看看有哪些礼品</source>
        <translation>See the gifts first</translation>
    </message>
</context>
<context>
    <name>HomeSwitches</name>
    <message>
        <source>标准字体</source>
        <translation>Standard text</translation>
    </message>
    <message>
        <source>大字模式</source>
        <translation>Large text</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <source>还在吗？</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <source>秒后回到首页，已填写的内容会被清除。</source>
        <translation>seconds until the home screen. What you entered will be cleared.</translation>
    </message>
    <message>
        <source>我还在，继续</source>
        <translation>I&apos;m here, continue</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>社区志愿服务站</source>
        <translation>Community volunteer station</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>OrderScreen</name>
    <message>
        <source>请核对预约信息</source>
        <translation>Please check your booking</translation>
    </message>
    <message>
        <source>预约成功</source>
        <translation>Booked</translation>
    </message>
    <message>
        <source>填写预约信息</source>
        <translation>Your booking</translation>
    </message>
    <message>
        <source>第 %1 步，共 %2 步</source>
        <translation>Step %1 of %2</translation>
    </message>
</context>
<context>
    <name>PhoneOrderScreen</name>
    <message>
        <source>手机扫码点单</source>
        <translation>Order on your phone</translation>
    </message>
    <message>
        <source>打开微信，扫一扫下面的二维码，就能在手机上点单。</source>
        <translation>Open WeChat and scan the code below to order on your phone.</translation>
    </message>
    <message>
        <source>手机点单暂不可用，请在本机点单。</source>
        <translation>Phone ordering is not available right now. Please order here.</translation>
    </message>
    <message>
        <source>不会用手机也没关系，返回后点“我要点单”。</source>
        <translation>No phone? No problem: go back and tap “Order a service”.</translation>
    </message>
</context>
<context>
    <name>ProblemText</name>
    <message>
        <source>请输入手机号码</source>
        <translation>Please enter a mobile number</translation>
    </message>
    <message>
        <source>手机号码应为1开头的11位数字，请检查</source>
        <translation>A mobile number has 11 digits and starts with 1. Please check it.</translation>
    </message>
    <message>
        <source>请输入被服务人的11位手机号码</source>
        <translation>Please enter the 11-digit mobile number of the person to be helped</translation>
    </message>
    <message>
        <source>被服务人的号码与您的相同，请选择“为自己预约”或换一个号码</source>
        <translation>That is your own number. Choose “For myself”, or enter their number.</translation>
    </message>
    <message>
        <source>请选择您和被服务人的关系</source>
        <translation>Please choose how you know this person</translation>
    </message>
    <message>
        <source>称呼太长了，请写短一些</source>
        <translation>That name is too long. Please make it shorter.</translation>
    </message>
    <message>
        <source>请选择楼栋和房号，或者手动填写地址</source>
        <translation>Please pick the building and room, or type the address</translation>
    </message>
    <message>
        <source>补充说明最多200字</source>
        <translation>Notes can be at most 200 characters</translation>
    </message>
    <message>
        <source>需要您同意后才能提交</source>
        <translation>We need your agreement before sending the booking</translation>
    </message>
    <message>
        <source>保存失败，请重试或联系工作人员</source>
        <translation>Could not save. Please try again or ask the staff.</translation>
    </message>
    <message>
        <source>请输入预约号</source>
        <translation>Please enter the booking code</translation>
    </message>
    <message>
        <source>请输入预约时所留手机号码的后4位</source>
        <translation>Please enter the last 4 digits of the phone number you gave</translation>
    </message>
    <message>
        <source>没有找到这个预约，请核对预约号和手机后4位</source>
        <translation>No booking found. Please check the code and the last 4 digits.</translation>
    </message>
    <message>
        <source>暂时连不上服务平台，请稍后再试，或拨打服务站电话</source>
        <translation>Cannot reach the service platform right now. Please try later, or call the station.</translation>
    </message>
    <message>
        <source>查询太频繁了，请过一分钟再试</source>
        <translation>Too many tries. Please wait a minute.</translation>
    </message>
    <message>
        <source>这不是预约小票上的二维码，请扫小票上的码</source>
        <translation>That is not a booking receipt. Please scan the code on your receipt.</translation>
    </message>
    <message>
        <source>请点星星打分</source>
        <translation>Tap the stars to rate</translation>
    </message>
    <message>
        <source>评价内容最多200字</source>
        <translation>Comments can be at most 200 characters</translation>
    </message>
    <message>
        <source>这个预约已经评价过了，谢谢您！</source>
        <translation>This booking has already been rated. Thank you!</translation>
    </message>
    <message>
        <source>服务完成后才能评价</source>
        <translation>You can rate once the service is done</translation>
    </message>
    <message>
        <source>这不是志愿者码，请打开手机上的志愿者码再扫</source>
        <translation>This is not a volunteer code. Open the volunteer code on your phone and scan again.</translation>
    </message>
    <message>
        <source>这个志愿者码无法识别，请在手机上刷新后重新扫码</source>
        <translation>This volunteer code cannot be read. Refresh it on your phone and scan again.</translation>
    </message>
    <message>
        <source>志愿者码已过期，请在手机上刷新后重新扫码</source>
        <translation>This volunteer code has expired. Refresh it on your phone and scan again.</translation>
    </message>
    <message>
        <source>这个志愿者码已经用过了，请刷新出新的码再扫</source>
        <translation>This volunteer code was already used. Refresh it for a new one and scan again.</translation>
    </message>
    <message>
        <source>本机暂时认不出这个志愿者码，请稍后再试或联系工作人员</source>
        <translation>This machine cannot check this code yet. Please try again later or ask the staff.</translation>
    </message>
    <message>
        <source>没有找到这位志愿者，请联系工作人员</source>
        <translation>We could not find this volunteer. Please ask the staff.</translation>
    </message>
    <message>
        <source>会员号是4到12位数字，请检查</source>
        <translation>A member number has 4 to 12 digits. Please check it.</translation>
    </message>
    <message>
        <source>请输入4到8位数字密码</source>
        <translation>Please enter your PIN (4 to 8 digits).</translation>
    </message>
    <message>
        <source>密码不对，请再试一次</source>
        <translation>That PIN is not right. Please try again.</translation>
    </message>
    <message>
        <source>尝试次数太多了，为了您的账户安全，请过几分钟再试</source>
        <translation>Too many tries. To keep your account safe, please try again in a few minutes.</translation>
    </message>
    <message>
        <source>网络暂时中断，志愿者卡和密码现在用不了，请用手机上的志愿者码</source>
        <translation>The network is down, so card and PIN cannot be checked now. Please use the volunteer code on your phone.</translation>
    </message>
    <message>
        <source>暂时连不上服务平台，现在不能兑换，您的积分不受影响，请稍后再试</source>
        <translation>The service cannot be reached, so redeeming is not possible now. Your points are safe; please try again later.</translation>
    </message>
    <message>
        <source>本机离线太久了，暂时不能兑换，请联系工作人员</source>
        <translation>This machine has been offline too long to redeem. Please ask the staff.</translation>
    </message>
    <message>
        <source>网络不稳定，请在手机上刷新志愿者码后再扫一次</source>
        <translation>The network is unstable. Please refresh your volunteer code and scan again.</translation>
    </message>
    <message>
        <source>本机暂时不能兑换，请联系工作人员</source>
        <translation>This machine cannot redeem right now. Please ask the staff.</translation>
    </message>
    <message>
        <source>服务平台暂时出了问题，您的积分不受影响，请稍后再试</source>
        <translation>The service has a problem right now. Your points are safe; please try again later.</translation>
    </message>
    <message>
        <source>时间有点长了，为了安全请重新扫码，已选的礼品会保留</source>
        <translation>That took a while: for your safety please scan again. Your chosen gifts are kept.</translation>
    </message>
    <message>
        <source>积分不够兑换这些礼品，请减少一些</source>
        <translation>Not enough points for these gifts. Please take fewer.</translation>
    </message>
    <message>
        <source>有礼品刚刚被兑完了，请看下面的提示调整</source>
        <translation>A gift has just run out. Please adjust as shown below.</translation>
    </message>
    <message>
        <source>有礼品超过了每人可兑换的数量（包括以前兑换的），请减少</source>
        <translation>A gift is over its per-person limit (earlier redemptions count too). Please take fewer.</translation>
    </message>
    <message>
        <source>有礼品已经下架，已从清单中去掉</source>
        <translation>A gift is no longer offered and was taken out of your list.</translation>
    </message>
    <message>
        <source>本机库存只有这么多了</source>
        <translation>That is all this machine has left.</translation>
    </message>
    <message>
        <source>这件礼品每人限兑这么多</source>
        <translation>That is the most one person may take of this gift.</translation>
    </message>
    <message>
        <source>积分不够再加了</source>
        <translation>Not enough points to add more.</translation>
    </message>
    <message>
        <source>请先选择礼品</source>
        <translation>Please choose a gift first</translation>
    </message>
    <message>
        <source>离线时每人可兑换的积分有上限，这次不能再多了，联网后可以继续兑换</source>
        <translation>While offline, each person may redeem only so many points. You can redeem more once the network is back.</translation>
    </message>
    <message>
        <source>本机离线兑换已达上限，请等网络恢复后再兑换</source>
        <translation>This machine has reached its offline limit. Please redeem once the network is back.</translation>
    </message>
    <message>
        <source>网络中断，兑换没有提交，积分没有扣除，请再点一次“确认兑换”</source>
        <translation>The network dropped: nothing was redeemed and no points were taken. Please press “Redeem now” again.</translation>
    </message>
    <message>
        <source>请检查填写的内容</source>
        <translation>Please check what you entered</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>志愿服务预约单</source>
        <translation>Volunteer service booking</translation>
    </message>
    <message>
        <source>预约号</source>
        <translation>Booking code</translation>
    </message>
    <message>
        <source>待同步：联网后自动上传，预约号不变</source>
        <translation>Not sent yet: goes out when online; the code stays the same</translation>
    </message>
    <message>
        <source>服务</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>服务方</source>
        <translation>Provided by</translation>
    </message>
    <message>
        <source>预约时间</source>
        <translation>Preferred time</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>被服务人</source>
        <translation>For</translation>
    </message>
    <message>
        <source>服务地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>下单时间</source>
        <translation>Booked at</translation>
    </message>
    <message>
        <source>扫码查询进度、评价服务</source>
        <translation>Scan to follow and rate</translation>
    </message>
    <message>
        <source>服务站电话</source>
        <translation>Station phone</translation>
    </message>
    <message>
        <source>感谢您的信任，志愿者会尽快联系您。</source>
        <translation>Thank you. A volunteer will contact you soon.</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>明天</source>
        <translation>Tomorrow</translation>
    </message>
    <message>
        <source>哪天都可以</source>
        <translation>Any day</translation>
    </message>
    <message>
        <source>上午</source>
        <translation>Morning</translation>
    </message>
    <message>
        <source>下午</source>
        <translation>Afternoon</translation>
    </message>
    <message>
        <source>时间都可以</source>
        <translation>Any time</translation>
    </message>
    <message>
        <source>礼品兑换券</source>
        <translation>Gift voucher</translation>
    </message>
    <message>
        <source>核销码</source>
        <translation>Pickup code</translation>
    </message>
    <message>
        <source>兑换单号</source>
        <translation>Redemption no.</translation>
    </message>
    <message>
        <source>兑换礼品</source>
        <translation>Gifts</translation>
    </message>
    <message>
        <source>{points} 积分</source>
        <translation>{points} points</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>兑换前积分</source>
        <translation>Points before</translation>
    </message>
    <message>
        <source>兑换后积分</source>
        <translation>Points after</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>领取地点</source>
        <translation>Collect at</translation>
    </message>
    <message>
        <source>兑换时间</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <source>领取时请出示本券，工作人员扫码核销</source>
        <translation>Show this voucher when you collect; staff scan it</translation>
    </message>
    <message>
        <source>感谢您的志愿服务！</source>
        <translation>Thank you for volunteering!</translation>
    </message>
</context>
<context>
    <name>RedeemScreen</name>
    <message>
        <source>请重新扫码</source>
        <translation>Please scan again</translation>
    </message>
    <message>
        <source>输入会员号</source>
        <translation>Member number</translation>
    </message>
    <message>
        <source>输入密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>我的积分</source>
        <translation>My points</translation>
    </message>
    <message>
        <source>选择礼品</source>
        <translation>Choose gifts</translation>
    </message>
    <message>
        <source>已选礼品</source>
        <translation>Your gifts</translation>
    </message>
    <message>
        <source>确认兑换</source>
        <translation>Redeem now</translation>
    </message>
    <message>
        <source>正在确认</source>
        <translation>Confirming</translation>
    </message>
    <message>
        <source>兑换已记录</source>
        <translation>Redemption recorded</translation>
    </message>
    <message>
        <source>兑换成功</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <source>积分兑换</source>
        <translation>Redeem points</translation>
    </message>
</context>
<context>
    <name>ScanHint</name>
    <message>
        <source>扫码口 ↓</source>
        <translation>Scanner ↓</translation>
    </message>
</context>
<context>
    <name>ScreenPage</name>
    <message>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <source>首页</source>
        <translation>Home</translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message>
        <source>上门服务</source>
        <translation>At your home</translation>
    </message>
    <message>
        <source>到站服务</source>
        <translation>At the station</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>已联网</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>网络不稳定</source>
        <translation>Network unstable</translation>
    </message>
    <message>
        <source>离线（数据会自动补传）</source>
        <translation>Offline (data will be sent later)</translation>
    </message>
    <message>
        <source>正在连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <source>打印机正常</source>
        <translation>Printer OK</translation>
    </message>
    <message>
        <source>打印纸将用完</source>
        <translation>Paper low</translation>
    </message>
    <message>
        <source>打印机缺纸</source>
        <translation>Printer out of paper</translation>
    </message>
    <message>
        <source>打印机盖未关</source>
        <translation>Printer cover open</translation>
    </message>
    <message>
        <source>打印机未连接</source>
        <translation>Printer not connected</translation>
    </message>
    <message>
        <source>未配置打印机</source>
        <translation>No printer set up</translation>
    </message>
    <message>
        <source>打印机故障</source>
        <translation>Printer fault</translation>
    </message>
    <message>
        <source>打印机检查中</source>
        <translation>Checking printer</translation>
    </message>
    <message>
        <source>扫码正常</source>
        <translation>Scanner OK</translation>
    </message>
    <message>
        <source>扫码器未连接</source>
        <translation>Scanner not connected</translation>
    </message>
    <message>
        <source>未配置扫码器</source>
        <translation>No scanner set up</translation>
    </message>
    <message>
        <source>扫码器检查中</source>
        <translation>Checking scanner</translation>
    </message>
</context>
<context>
    <name>StepView</name>
    <message>
        <source>下面还有内容，请用手指向上滑 ↑</source>
        <translation>More below: swipe up ↑</translation>
    </message>
</context>
<context>
    <name>TechField</name>
    <message>
        <source>由服务平台统一管理</source>
        <translation>Managed by the platform</translation>
    </message>
</context>
<context>
    <name>TechHealthScreen</name>
    <message>
        <source>运行状况</source>
        <translation>Health</translation>
    </message>
    <message>
        <source>服务平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>待上传数据</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <source>被拒收的数据</source>
        <translation>Refused by the platform</translation>
    </message>
    <message>
        <source>没出小票的预约</source>
        <translation>Orders without a receipt</translation>
    </message>
    <message>
        <source>与平台的时间差</source>
        <translation>Clock offset to the platform</translation>
    </message>
    <message>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>扫码器</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>站点 / 设备</source>
        <translation>Station / device</translation>
    </message>
    <message>
        <source>网络地址</source>
        <translation>Network addresses</translation>
    </message>
    <message>
        <source>程序版本</source>
        <translation>App version</translation>
    </message>
    <message>
        <source>已运行</source>
        <translation>Running for</translation>
    </message>
    <message>
        <source>磁盘剩余</source>
        <translation>Disk free</translation>
    </message>
    <message>
        <source>数据库大小</source>
        <translation>Database size</translation>
    </message>
    <message>
        <source>已连接</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>不稳定</source>
        <translation>Unstable</translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>%1，上次同步 %2</source>
        <translation>%1, last sync %2</translation>
    </message>
    <message>
        <source>%1，还没有同步过</source>
        <translation>%1, never synced</translation>
    </message>
    <message>
        <source>%1 条，最早的已等 %2 分钟</source>
        <translation>%1, the oldest waiting %2 min</translation>
    </message>
    <message>
        <source>没有</source>
        <translation>None</translation>
    </message>
    <message>
        <source>%1 条</source>
        <translation>%1</translation>
    </message>
    <message>
        <source>%1 秒</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>%1 / 未注册</source>
        <translation>%1 / not enrolled</translation>
    </message>
    <message>
        <source>%1 小时</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>最近的错误</source>
        <translation>Recent errors</translation>
    </message>
    <message>
        <source>正在检查……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
</context>
<context>
    <name>TechLogsScreen</name>
    <message>
        <source>日志</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>还没有日志</source>
        <translation>No log lines yet</translation>
    </message>
    <message>
        <source>导出全部日志到U盘</source>
        <translation>Export all logs to a USB stick</translation>
    </message>
</context>
<context>
    <name>TechMenuScreen</name>
    <message>
        <source>技术员模式</source>
        <translation>Technician mode</translation>
    </message>
    <message>
        <source>礼品兑换机</source>
        <translation>Gift redemption kiosk</translation>
    </message>
    <message>
        <source>点单机</source>
        <translation>Ordering kiosk</translation>
    </message>
    <message>
        <source>版本 %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>运行状况</source>
        <translation>Health</translation>
    </message>
    <message>
        <source>网络、打印机、扫码器、存储</source>
        <translation>Network, printer, scanner, storage</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>站点、平台、打印机、扫码器、密码</source>
        <translation>Station, platform, printer, scanner, PIN</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>马上上传数据、更新目录</source>
        <translation>Upload now and refresh the catalogue</translation>
    </message>
    <message>
        <source>补打小票</source>
        <translation>Reprint receipt</translation>
    </message>
    <message>
        <source>补打最近一张，标“补打”</source>
        <translation>The latest one, marked DUPLICATE</translation>
    </message>
    <message>
        <source>打印诊断小票</source>
        <translation>Print diagnostic ticket</translation>
    </message>
    <message>
        <source>本机信息和测试二维码</source>
        <translation>This kiosk&apos;s facts and a test QR</translation>
    </message>
    <message>
        <source>查看日志</source>
        <translation>View logs</translation>
    </message>
    <message>
        <source>可导出到U盘</source>
        <translation>Can be exported to a USB stick</translation>
    </message>
    <message>
        <source>重启程序</source>
        <translation>Restart the app</translation>
    </message>
    <message>
        <source>约10秒后回到首页</source>
        <translation>Back on the home screen in about 10 s</translation>
    </message>
    <message>
        <source>退出到桌面</source>
        <translation>Exit to the desktop</translation>
    </message>
    <message>
        <source>维护用，需要键盘或远程登录</source>
        <translation>For maintenance; needs a keyboard or remote login</translation>
    </message>
</context>
<context>
    <name>TechMessage</name>
    <message>
        <source>密码不对，请再试一次</source>
        <translation>Wrong PIN. Please try again.</translation>
    </message>
    <message>
        <source>密码错误次数太多，请稍后再试</source>
        <translation>Too many wrong PINs. Please try again later.</translation>
    </message>
    <message>
        <source>本机还没有设置技术员密码，请先完成设置向导</source>
        <translation>This kiosk has no technician PIN yet: finish the setup wizard first.</translation>
    </message>
    <message>
        <source>密码已经设置过了，请用密码登录</source>
        <translation>A PIN is already set: log in with it.</translation>
    </message>
    <message>
        <source>这不是技术员卡，请扫技术员卡上的二维码</source>
        <translation>This is not a technician card. Scan the QR on a technician card.</translation>
    </message>
    <message>
        <source>本机不认识这张技术员卡，请只用密码登录</source>
        <translation>This kiosk does not know this card. Log in with the PIN only.</translation>
    </message>
    <message>
        <source>这张技术员卡已停用，请只用密码登录</source>
        <translation>This card has been revoked. Log in with the PIN only.</translation>
    </message>
    <message>
        <source>长时间没有操作，已退出技术员模式，请重新登录</source>
        <translation>Technician mode ended after a while without use. Please log in again.</translation>
    </message>
    <message>
        <source>本机保存的密码已损坏：请在终端运行 kiosk pin set 重新设置</source>
        <translation>The stored PIN is damaged: run kiosk pin set in a terminal to set a new one.</translation>
    </message>
    <message>
        <source>密码应为6到8位数字</source>
        <translation>Use 6 to 8 digits.</translation>
    </message>
    <message>
        <source>密码只能用数字0到9</source>
        <translation>Use the digits 0 to 9 only.</translation>
    </message>
    <message>
        <source>不要用同一个数字重复组成密码</source>
        <translation>Do not repeat one digit.</translation>
    </message>
    <message>
        <source>不要用123456、654321这样的连续数字</source>
        <translation>Do not use a run like 123456 or 654321.</translation>
    </message>
    <message>
        <source>不要用121212这样重复的数字组</source>
        <translation>Do not repeat a short group like 121212.</translation>
    </message>
    <message>
        <source>两次输入的密码不一样，请重新输入</source>
        <translation>The two PINs differ. Please enter them again.</translation>
    </message>
    <message>
        <source>请填写正确的服务平台地址（http:// 或 https:// 开头），或扫描注册二维码</source>
        <translation>Enter the platform address (starting with http:// or https://), or scan the enrolment QR.</translation>
    </message>
    <message>
        <source>请填写注册码，或扫描注册二维码</source>
        <translation>Enter the enrolment code, or scan the enrolment QR.</translation>
    </message>
    <message>
        <source>服务平台拒绝了注册：注册码可能已用过或已过期，请在平台上重新生成</source>
        <translation>The platform refused the enrolment: the code may be used or expired. Make a new one on the platform.</translation>
    </message>
    <message>
        <source>连不上服务平台：请检查网络和平台地址</source>
        <translation>Cannot reach the platform: check the network and the address.</translation>
    </message>
    <message>
        <source>有设置不正确，没有保存：请看标红的项目</source>
        <translation>Some settings are not valid and nothing was saved: see the items in red.</translation>
    </message>
    <message>
        <source>这个值不能用</source>
        <translation>This value cannot be used</translation>
    </message>
    <message>
        <source>这一项由服务平台统一管理，不能在本机修改</source>
        <translation>The platform manages this setting; it cannot be changed here.</translation>
    </message>
    <message>
        <source>本机没有这项设置</source>
        <translation>This kiosk has no such setting.</translation>
    </message>
    <message>
        <source>设置无法写入磁盘：请检查磁盘空间，然后重试</source>
        <translation>The settings could not be written: check the disk space and try again.</translation>
    </message>
    <message>
        <source>按新设置找不到打印机：请检查连接和设置</source>
        <translation>No printer found with the new settings: check the connection and the settings.</translation>
    </message>
    <message>
        <source>操作没有完成，请重试；如果再次出现，请导出日志</source>
        <translation>That did not finish. Try again; if it happens again, export the logs.</translation>
    </message>
    <message>
        <source>还没有设置服务平台：请在设置里注册本机</source>
        <translation>No platform set up yet: enrol this kiosk in Settings.</translation>
    </message>
    <message>
        <source>还没有打印过小票</source>
        <translation>Nothing has been printed yet.</translation>
    </message>
    <message>
        <source>没有找到U盘：请插入U盘后再试</source>
        <translation>No USB stick found: plug one in and try again.</translation>
    </message>
    <message>
        <source>导出失败：U盘可能已满或被拔出</source>
        <translation>Export failed: the USB stick may be full or was removed.</translation>
    </message>
    <message>
        <source>打印机缺纸：请装入新纸卷</source>
        <translation>Printer out of paper: load a new roll.</translation>
    </message>
    <message>
        <source>打印纸快用完了：请准备新纸卷</source>
        <translation>Paper is running low: have a new roll ready.</translation>
    </message>
    <message>
        <source>打印机盖没有关好：请合上打印机盖</source>
        <translation>Printer cover open: close it.</translation>
    </message>
    <message>
        <source>打印机没有响应：请检查电源、连接线和打印机设置</source>
        <translation>The printer does not answer: check its power, cable and printer settings.</translation>
    </message>
    <message>
        <source>没有设置打印机：请在设置里选择打印机类型</source>
        <translation>No printer set up: choose the printer type in Settings.</translation>
    </message>
    <message>
        <source>打印机报告故障：请关掉打印机再打开，检查是否卡纸</source>
        <translation>The printer reports a fault: switch it off and on, and check for a paper jam.</translation>
    </message>
    <message>
        <source>还不知道打印机状态：请点“刷新”</source>
        <translation>Printer state not known yet: tap Refresh.</translation>
    </message>
    <message>
        <source>连不上服务平台：请检查网线或无线网络</source>
        <translation>Cannot reach the platform: check the network cable or Wi-Fi.</translation>
    </message>
    <message>
        <source>服务平台没有回应：网络可能很慢，稍后会自动重试</source>
        <translation>The platform did not answer: the network may be slow; it retries by itself.</translation>
    </message>
    <message>
        <source>服务平台出错：稍后会自动重试，持续出现请联系平台管理员</source>
        <translation>The platform has an error: it retries by itself; if it persists, call the platform administrator.</translation>
    </message>
    <message>
        <source>请求太频繁，服务平台暂时限流：稍后会自动重试</source>
        <translation>Too many requests, the platform is throttling: it retries by itself.</translation>
    </message>
    <message>
        <source>服务平台不再接受本机：请在平台上检查本机，必要时重新注册</source>
        <translation>The platform no longer accepts this kiosk: check it on the platform and enrol again if needed.</translation>
    </message>
    <message>
        <source>本机还没有注册：请在设置里扫描注册二维码</source>
        <translation>This kiosk is not enrolled: scan the enrolment QR in Settings.</translation>
    </message>
    <message>
        <source>有数据很久没有上传：请检查网络，然后点“立即同步”</source>
        <translation>Data has waited long to upload: check the network, then tap Sync now.</translation>
    </message>
    <message>
        <source>有预约已存下，但居民没拿到小票（可能中途断电）：请点“补打小票”，交给居民</source>
        <translation>An order was stored but the resident never got its receipt (perhaps a power cut): tap “Reprint receipt” and give it to them</translation>
    </message>
    <message>
        <source>有数据被服务平台拒收：请导出日志交给平台管理员</source>
        <translation>The platform refused some data: export the logs for the platform administrator.</translation>
    </message>
    <message>
        <source>本机时间和服务平台相差超过1分钟：请检查时间同步（NTP）</source>
        <translation>This kiosk&apos;s clock is more than a minute off the platform&apos;s: check time sync (NTP).</translation>
    </message>
    <message>
        <source>本机没有网络地址：请检查网线或无线网络设置</source>
        <translation>No network address: check the network cable or Wi-Fi settings.</translation>
    </message>
    <message>
        <source>磁盘空间不足：请导出并清理旧日志</source>
        <translation>Disk space is low: export and remove old logs.</translation>
    </message>
    <message>
        <source>没有设置扫码器：请在设置里选择扫码器类型</source>
        <translation>No scanner set up: choose the scanner type in Settings.</translation>
    </message>
    <message>
        <source>找不到摄像头：请检查连接线和摄像头设置</source>
        <translation>No camera found: check the cable and the camera setting.</translation>
    </message>
    <message>
        <source>摄像头断开了：请检查连接线</source>
        <translation>The camera went away: check its cable.</translation>
    </message>
    <message>
        <source>测试视频播放完了：请检查扫码器设置</source>
        <translation>The test video ended: check the scanner settings.</translation>
    </message>
    <message>
        <source>找不到串口扫码器：请检查连接线和串口设置</source>
        <translation>No serial scanner found: check the cable and the serial port setting.</translation>
    </message>
    <message>
        <source>串口扫码器断开了：请检查连接线</source>
        <translation>The serial scanner went away: check its cable.</translation>
    </message>
    <message>
        <source>无法独占扫码枪输入设备：请检查设备名和权限</source>
        <translation>Cannot take the scanner&apos;s input device: check its name and permissions.</translation>
    </message>
    <message>
        <source>扫码需要的软件库缺失：请运行 kiosk doctor 查看</source>
        <translation>A library scanning needs is missing: run kiosk doctor.</translation>
    </message>
    <message>
        <source>缺少第二个解码库，难读的码会慢一些：请安装 libzbar0</source>
        <translation>The second decoder is missing, hard codes read slower: install libzbar0.</translation>
    </message>
    <message>
        <source>扫码出错停止了：请重启程序，再出现请导出日志</source>
        <translation>Scanning stopped on an error: restart the app; if it happens again, export the logs.</translation>
    </message>
    <message>
        <source>扫码器不可用：请检查连接和设置</source>
        <translation>The scanner is not available: check the connection and settings.</translation>
    </message>
    <message>
        <source>已保存，已经生效</source>
        <translation>Saved and in effect.</translation>
    </message>
    <message>
        <source>已保存，部分设置重启后生效</source>
        <translation>Saved. Some settings take effect after a restart.</translation>
    </message>
    <message>
        <source>没有修改</source>
        <translation>Nothing changed.</translation>
    </message>
    <message>
        <source>注册成功，重启后开始同步</source>
        <translation>Enrolled. Syncing starts after a restart.</translation>
    </message>
    <message>
        <source>密码已修改</source>
        <translation>PIN changed.</translation>
    </message>
    <message>
        <source>正在同步，请稍候查看状态</source>
        <translation>Syncing; check the state in a moment.</translation>
    </message>
    <message>
        <source>已补打上一张小票（标有“补打”）</source>
        <translation>The last receipt was reprinted (marked DUPLICATE).</translation>
    </message>
    <message>
        <source>打印完成，请检查小票</source>
        <translation>Printed: check the ticket.</translation>
    </message>
    <message>
        <source>日志已导出到U盘</source>
        <translation>Logs exported to the USB stick.</translation>
    </message>
    <message>
        <source>出现问题（%1）</source>
        <translation>A problem occurred (%1)</translation>
    </message>
</context>
<context>
    <name>TechPinScreen</name>
    <message>
        <source>技术员登录</source>
        <translation>Technician login</translation>
    </message>
    <message>
        <source>已读取技术员卡，请输入密码</source>
        <translation>Technician card read: enter the PIN</translation>
    </message>
    <message>
        <source>请输入技术员密码（也可以先扫技术员卡）</source>
        <translation>Enter the technician PIN (or scan a technician card first)</translation>
    </message>
    <message>
        <source>为了安全，请等 %1 分 %2 秒后再试</source>
        <translation>For safety, please wait %1 min %2 s before trying again</translation>
    </message>
    <message>
        <source>为了安全，请等 %1 秒后再试</source>
        <translation>For safety, please wait %1 s before trying again</translation>
    </message>
    <message>
        <source>还可以再试 %1 次，之后需要等待一会儿</source>
        <translation>%1 more tries before a short wait</translation>
    </message>
    <message>
        <source>正在核对……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>TechSetting</name>
    <message>
        <source>开</source>
        <translation>On</translation>
    </message>
    <message>
        <source>关</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>由服务平台统一管理，本机只读</source>
        <translation>Managed by the platform; read-only here</translation>
    </message>
</context>
<context>
    <name>TechSettingsScreen</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>站点</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>扫码器</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>屏幕</source>
        <translation>Screen</translation>
    </message>
    <message>
        <source>离线兑换</source>
        <translation>Offline redemption</translation>
    </message>
    <message>
        <source>技术员</source>
        <translation>Technician</translation>
    </message>
    <message>
        <source>站点编号（与平台一致）</source>
        <translation>Station id (as on the platform)</translation>
    </message>
    <message>
        <source>站点名称（屏幕和小票上显示）</source>
        <translation>Station name (on screens and receipts)</translation>
    </message>
    <message>
        <source>本机用途：ordering 点单机，redemption 礼品兑换机</source>
        <translation>Role: ordering kiosk or redemption kiosk</translation>
    </message>
    <message>
        <source>服务站电话（印在小票上）</source>
        <translation>Station phone (printed on receipts)</translation>
    </message>
    <message>
        <source>打印机连接方式（image：打印成图片，用于演示）</source>
        <translation>Printer connection (image: PNG files, for demos)</translation>
    </message>
    <message>
        <source>纸宽（毫米）</source>
        <translation>Paper width (mm)</translation>
    </message>
    <message>
        <source>中文打印方式：native 打印机字库，image 全部按图片打印</source>
        <translation>Chinese text: native uses the printer&apos;s font, image prints everything as a picture</translation>
    </message>
    <message>
        <source>网络打印机地址</source>
        <translation>Network printer host</translation>
    </message>
    <message>
        <source>网络打印机端口</source>
        <translation>Network printer port</translation>
    </message>
    <message>
        <source>串口打印机设备</source>
        <translation>Serial printer device</translation>
    </message>
    <message>
        <source>串口波特率</source>
        <translation>Serial baud rate</translation>
    </message>
    <message>
        <source>打印机设备文件（file 方式）</source>
        <translation>Printer device file (kind file)</translation>
    </message>
    <message>
        <source>扫码器类型</source>
        <translation>Scanner kind</translation>
    </message>
    <message>
        <source>摄像头编号或设备路径</source>
        <translation>Camera number or device path</translation>
    </message>
    <message>
        <source>串口扫码器设备</source>
        <translation>Serial scanner device</translation>
    </message>
    <message>
        <source>无人操作多少秒后提示（秒）</source>
        <translation>Seconds without a touch before the prompt</translation>
    </message>
    <message>
        <source>提示后倒计时多少秒回首页（秒）</source>
        <translation>Countdown seconds before going home</translation>
    </message>
    <message>
        <source>默认语言</source>
        <translation>Default language</translation>
    </message>
    <message>
        <source>默认使用长辈模式（大字）</source>
        <translation>Elderly mode (large text) by default</translation>
    </message>
    <message>
        <source>断网时允许兑换</source>
        <translation>Allow redemption while offline</translation>
    </message>
    <message>
        <source>断网时每人最多兑换积分（0 不限）</source>
        <translation>Offline points per member (0: no cap)</translation>
    </message>
    <message>
        <source>断网时本机最多兑换积分（0 不限）</source>
        <translation>Offline points for this kiosk (0: no cap)</translation>
    </message>
    <message>
        <source>上次同步后多少小时内可断网兑换（0 不限）</source>
        <translation>Offline only within this many hours of the last sync (0: no limit)</translation>
    </message>
    <message>
        <source>技术员模式无操作多少秒后退出</source>
        <translation>Seconds without use before technician mode ends</translation>
    </message>
    <message>
        <source>长按左上角多少秒进入技术员模式</source>
        <translation>Seconds to hold the top-left corner for technician mode</translation>
    </message>
    <message>
        <source>测试</source>
        <translation>Tests</translation>
    </message>
    <message>
        <source>测试打印（按已保存的设置）</source>
        <translation>Test print (with the saved settings)</translation>
    </message>
    <message>
        <source>测试扫码，最近扫到：%1</source>
        <translation>Test scan, last read: %1</translation>
    </message>
    <message>
        <source>测试扫码：把任意二维码对准扫码口，这里会显示内容</source>
        <translation>Test scan: hold any QR code to the scanner; its text shows here</translation>
    </message>
    <message>
        <source>服务平台注册</source>
        <translation>Platform enrolment</translation>
    </message>
    <message>
        <source>修改技术员密码</source>
        <translation>Change the technician PIN</translation>
    </message>
    <message>
        <source>新密码（6到8位数字）</source>
        <translation>New PIN (6 to 8 digits)</translation>
    </message>
    <message>
        <source>再输入一次</source>
        <translation>Repeat it</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>现在重启</source>
        <translation>Restart now</translation>
    </message>
</context>
<context>
    <name>TechWizardScreen</name>
    <message>
        <source>本机设置向导</source>
        <translation>Kiosk setup</translation>
    </message>
    <message>
        <source>第一步：设置技术员密码（6到8位数字），以后进入技术员模式要用</source>
        <translation>Step 1: set the technician PIN (6 to 8 digits); it opens technician mode later</translation>
    </message>
    <message>
        <source>第二步：本机所在的站点和用途</source>
        <translation>Step 2: this kiosk&apos;s station and role</translation>
    </message>
    <message>
        <source>第三步：注册到服务平台</source>
        <translation>Step 3: enrol with the platform</translation>
    </message>
    <message>
        <source>设置完成</source>
        <translation>Setup finished</translation>
    </message>
    <message>
        <source>稍后再设置，进入技术员模式</source>
        <translation>Set up later: go to technician mode</translation>
    </message>
</context>
<context>
    <name>TrackScreen</name>
    <message>
        <source>预约进度</source>
        <translation>Booking progress</translation>
    </message>
    <message>
        <source>评价服务</source>
        <translation>Rate the service</translation>
    </message>
    <message>
        <source>谢谢您的评价</source>
        <translation>Thank you</translation>
    </message>
    <message>
        <source>查询 / 评价</source>
        <translation>Track / rate</translation>
    </message>
</context>
<context>
    <name>address</name>
    <message>
        <source>服务地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>请选择楼栋、单元，再输入房号</source>
        <translation>Pick the building and entrance, then enter the room number</translation>
    </message>
    <message>
        <source>房号，例如 301</source>
        <translation>Room, e.g. 301</translation>
    </message>
    <message>
        <source>例如：医财巷12号3单元502</source>
        <translation>e.g. 12 Yicai Lane, entrance 3, room 502</translation>
    </message>
    <message>
        <source>从列表选择地址</source>
        <translation>Pick the address from the list</translation>
    </message>
    <message>
        <source>列表里没有？手动填写</source>
        <translation>Not in the list? Type it</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>beneficiary</name>
    <message>
        <source>被服务人是您的？</source>
        <translation>This person is your…</translation>
    </message>
    <message>
        <source>家人</source>
        <translation>Family</translation>
    </message>
    <message>
        <source>邻居</source>
        <translation>Neighbour</translation>
    </message>
    <message>
        <source>朋友</source>
        <translation>Friend</translation>
    </message>
    <message>
        <source>被服务人的手机号码</source>
        <translation>Their mobile number</translation>
    </message>
    <message>
        <source>11位手机号码</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>cart</name>
    <message>
        <source>%1 积分 × %2 = %3 积分</source>
        <translation>%1 points × %2 = %3 points</translation>
    </message>
    <message>
        <source>本机只剩 %1 份了，请减少数量</source>
        <translation>Only %1 left here; please take fewer.</translation>
    </message>
    <message>
        <source>本机已兑完，请去掉这一项</source>
        <translation>None left here; please remove this one.</translation>
    </message>
    <message>
        <source>超过每人限兑数量，请减少</source>
        <translation>Over the per-person limit; please take fewer.</translation>
    </message>
    <message>
        <source>还没有选礼品</source>
        <translation>No gifts chosen yet</translation>
    </message>
    <message>
        <source>继续选礼品</source>
        <translation>Choose more gifts</translation>
    </message>
    <message>
        <source>去确认</source>
        <translation>Check and confirm</translation>
    </message>
</context>
<context>
    <name>confirm</name>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>明天</source>
        <translation>Tomorrow</translation>
    </message>
    <message>
        <source>哪天都可以</source>
        <translation>Any day</translation>
    </message>
    <message>
        <source>上午</source>
        <translation>Morning</translation>
    </message>
    <message>
        <source>下午</source>
        <translation>Afternoon</translation>
    </message>
    <message>
        <source>时间都可以</source>
        <translation>Any time</translation>
    </message>
    <message>
        <source>服务</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>称呼</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>被服务人电话</source>
        <translation>Their phone</translation>
    </message>
    <message>
        <source>服务地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>补充</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>打印机暂时不能打印小票。您仍然可以提交，提交后请用手机拍下屏幕上的二维码。</source>
        <translation>The printer cannot print a receipt right now. You can still send the booking; afterwards, take a photo of the QR code on the screen.</translation>
    </message>
    <message>
        <source>正在提交…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>确认提交</source>
        <translation>Send booking</translation>
    </message>
    <message>
        <source>%1 积分</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <source>离线兑换：联网后由平台确认。确认后再次扫码即可打印兑换券。</source>
        <translation>Offline redemption: the service confirms it once the network is back. Then scan again here to print your voucher.</translation>
    </message>
    <message>
        <source>正在兑换，请稍候…</source>
        <translation>Redeeming, one moment…</translation>
    </message>
    <message>
        <source>确认兑换</source>
        <translation>Redeem now</translation>
    </message>
</context>
<context>
    <name>consent</name>
    <message>
        <source>您的电话和地址怎么用？</source>
        <translation>How we use your phone number and address</translation>
    </message>
    <message>
        <source>• 只用于这次志愿服务：联系您、上门找到您。
• 只给负责这次服务的服务站和志愿者看。
• 小票和屏幕上的电话号码会隐藏中间四位。
• 服务完成后按规定保存和删除，不会用于推销。</source>
        <translation>• Only for this service: to call you and to find you.
• Only the station and the volunteers doing this service see them.
• Receipts and screens hide the middle four digits of your number.
• Kept and deleted as the rules require after the service; never used for advertising.</translation>
    </message>
    <message>
        <source>同意，继续</source>
        <translation>I agree, continue</translation>
    </message>
    <message>
        <source>不同意，不预约了</source>
        <translation>I do not agree, cancel</translation>
    </message>
</context>
<context>
    <name>detail</name>
    <message>
        <source>服务方：%1</source>
        <translation>Provided by: %1</translation>
    </message>
    <message>
        <source>志愿者上门服务</source>
        <translation>A volunteer comes to your home</translation>
    </message>
    <message>
        <source>请到服务站接受服务</source>
        <translation>The service is at the station</translation>
    </message>
    <message>
        <source>我要预约</source>
        <translation>Book this service</translation>
    </message>
</context>
<context>
    <name>done</name>
    <message>
        <source>预约号</source>
        <translation>Booking code</translation>
    </message>
    <message>
        <source>待同步：网络恢复后自动上传，预约号不变</source>
        <translation>Not sent yet: it will go out when the network is back. The code stays the same.</translation>
    </message>
    <message>
        <source>小票已打印，请从下方出纸口取走。</source>
        <translation>Your receipt is printed. Please take it from the slot below.</translation>
    </message>
    <message>
        <source>请用手机拍下这个二维码，凭它查询进度。</source>
        <translation>Please take a photo of this QR code with your phone to follow your booking.</translation>
    </message>
    <message>
        <source>打印机缺纸，小票没有打出来。</source>
        <translation>The printer is out of paper; no receipt was printed. </translation>
    </message>
    <message>
        <source>打印机盖没关好，小票没有打出来。</source>
        <translation>The printer cover is open; no receipt was printed. </translation>
    </message>
    <message>
        <source>打印机没有连接，小票没有打出来。</source>
        <translation>The printer is not connected; no receipt was printed. </translation>
    </message>
    <message>
        <source>本机没有打印机。</source>
        <translation>This kiosk has no printer. </translation>
    </message>
    <message>
        <source>打印机出了故障，小票没有打出来。</source>
        <translation>The printer has a fault; no receipt was printed. </translation>
    </message>
    <message>
        <source>接下来：服务站会派志愿者，志愿者接单后会打电话给 %1。</source>
        <translation>Next: the station assigns a volunteer, who will call %1.</translation>
    </message>
    <message>
        <source>在屏幕上看看小票</source>
        <translation>Show the receipt on screen</translation>
    </message>
    <message>
        <source>完成（%1秒后自动返回）</source>
        <translation>Done (home in %1 s)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>entry</name>
    <message>
        <source>请把小票上的二维码对准扫码口</source>
        <translation>Hold the QR code on your receipt to the scanner</translation>
    </message>
    <message>
        <source>预约号（在小票上）</source>
        <translation>Booking code (on your receipt)</translation>
    </message>
    <message>
        <source>例如 XN20261129-0042</source>
        <translation>e.g. XN20261129-0042</translation>
    </message>
    <message>
        <source>预约时所留手机号码的后4位</source>
        <translation>Last 4 digits of the phone number you gave</translation>
    </message>
    <message>
        <source>后4位</source>
        <translation>Last 4 digits</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Looking it up…</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Look up</translation>
    </message>
    <message>
        <source>改用扫码</source>
        <translation>Scan instead</translation>
    </message>
    <message>
        <source>没有小票？输入预约号</source>
        <translation>No receipt? Type the code</translation>
    </message>
</context>
<context>
    <name>for_whom</name>
    <message>
        <source>这次服务是为谁预约？</source>
        <translation>Who is this service for?</translation>
    </message>
    <message>
        <source>我</source>
        <translation>Me</translation>
    </message>
    <message>
        <source>为自己预约</source>
        <translation>For myself</translation>
    </message>
    <message>
        <source>家</source>
        <translation>F</translation>
    </message>
    <message>
        <source>帮家人或邻居预约</source>
        <translation>For a relative or neighbour</translation>
    </message>
    <message>
        <source>需要留下对方的电话</source>
        <translation>You will need their phone number</translation>
    </message>
</context>
<context>
    <name>gifts</name>
    <message>
        <source>已选 %1 份，共 %2 积分 · 去结算</source>
        <translation>%1 chosen, %2 points · Continue</translation>
    </message>
    <message>
        <source>请先选择礼品</source>
        <translation>Please choose a gift first</translation>
    </message>
</context>
<context>
    <name>name</name>
    <message>
        <source>怎么称呼您？</source>
        <translation>What should we call you?</translation>
    </message>
    <message>
        <source>可以只写姓，也可以不填</source>
        <translation>Your surname is enough, or leave it blank</translation>
    </message>
    <message>
        <source>例如：王</source>
        <translation>e.g. Wang</translation>
    </message>
    <message>
        <source>先生</source>
        <translation>Mr</translation>
    </message>
    <message>
        <source>女士</source>
        <translation>Ms</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>notes</name>
    <message>
        <source>有什么需要志愿者提前知道的吗？</source>
        <translation>Anything the volunteer should know?</translation>
    </message>
    <message>
        <source>点一下选择，可以多选，也可以不选</source>
        <translation>Tap to choose; choose several or none</translation>
    </message>
    <message>
        <source>其他补充（可不填）</source>
        <translation>Anything else (optional)</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>number</name>
    <message>
        <source>请输入会员号（志愿者证上的数字）</source>
        <translation>Enter your member number (the digits on your volunteer card)</translation>
    </message>
    <message>
        <source>会员号</source>
        <translation>Member number</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>pending</name>
    <message>
        <source>网络不稳定，正在确认兑换结果，请稍候。积分只会扣一次。</source>
        <translation>The network is unstable; we are confirming your redemption. Points are taken only once.</translation>
    </message>
    <message>
        <source>如果您需要离开：确认后兑换券会自动打印，也可以下次扫码时补打。</source>
        <translation>If you need to leave: the voucher prints once it is confirmed, or when you scan here next time.</translation>
    </message>
</context>
<context>
    <name>phone</name>
    <message>
        <source>请输入您的手机号码</source>
        <translation>Please enter your mobile number</translation>
    </message>
    <message>
        <source>志愿者会打这个电话联系您，号码只用于这次服务</source>
        <translation>The volunteer will call this number. It is used for this service only.</translation>
    </message>
    <message>
        <source>11位手机号码</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>pin</name>
    <message>
        <source>会员号 %1</source>
        <translation>Member number %1</translation>
    </message>
    <message>
        <source>请输入密码</source>
        <translation>Please enter your PIN</translation>
    </message>
    <message>
        <source>4到8位数字</source>
        <translation>4 to 8 digits</translation>
    </message>
    <message>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>queued</name>
    <message>
        <source>兑换已记录</source>
        <translation>Redemption recorded</translation>
    </message>
    <message>
        <source>网络恢复后由平台确认并扣除积分。确认后，再次在本机扫码即可打印兑换券，凭券领取礼品。</source>
        <translation>The service confirms it and takes the points once the network is back. Then scan here again to print your voucher and collect your gifts with it.</translation>
    </message>
</context>
<context>
    <name>rate</name>
    <message>
        <source>您对这次服务满意吗？</source>
        <translation>How was the service?</translation>
    </message>
    <message>
        <source>请点星星打分</source>
        <translation>Tap the stars to rate</translation>
    </message>
    <message>
        <source>很不满意</source>
        <translation>Very poor</translation>
    </message>
    <message>
        <source>不太满意</source>
        <translation>Poor</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>非常满意</source>
        <translation>Excellent</translation>
    </message>
    <message>
        <source>还想说点什么？（可不填）</source>
        <translation>Anything to add? (optional)</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Send rating</translation>
    </message>
</context>
<context>
    <name>scan</name>
    <message>
        <source>为了您的积分安全，请重新出示志愿者码</source>
        <translation>To keep your points safe, please show your volunteer code again</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>已派单</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>志愿者已接单</source>
        <translation>Volunteer accepted</translation>
    </message>
    <message>
        <source>服务中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>服务完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>预约号 %1</source>
        <translation>Booking %1</translation>
    </message>
    <message>
        <source>这个预约还没有传到服务平台（待同步），网络恢复后会自动上传。</source>
        <translation>This booking has not reached the platform yet; it will be sent when the network is back.</translation>
    </message>
    <message>
        <source>您已评价：%1 星</source>
        <translation>You rated it %1 stars</translation>
    </message>
    <message>
        <source>评价这次服务</source>
        <translation>Rate this service</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Back to home</translation>
    </message>
</context>
<context>
    <name>summary</name>
    <message>
        <source>志愿者，您好</source>
        <translation>Hello, volunteer</translation>
    </message>
    <message>
        <source>%1，您好</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <source>可用积分</source>
        <translation>Points available</translation>
    </message>
    <message>
        <source>网络暂时中断，现在是离线兑换：本次最多可兑换 %1 积分，联网后由平台确认扣分。</source>
        <translation>The network is down; this is an offline redemption of at most %1 points. The service confirms it once the network is back.</translation>
    </message>
    <message>
        <source>网络暂时中断，现在是离线兑换：联网后由平台确认扣分。</source>
        <translation>The network is down; this is an offline redemption. The service confirms it once the network is back.</translation>
    </message>
    <message>
        <source>其中 %1 积分将于 %2 到期，请尽早使用</source>
        <translation>%1 of them expire on %2; use them soon</translation>
    </message>
    <message>
        <source>%1 小时</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>您之前兑换的 %1 张兑换券已打印，请从出纸口取走。</source>
        <translation>%1 voucher(s) from before have been printed; please take them from the slot.</translation>
    </message>
    <message>
        <source>最近兑换</source>
        <translation>Recent redemptions</translation>
    </message>
    <message>
        <source>%1 积分</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <source>去选礼品</source>
        <translation>Choose gifts</translation>
    </message>
</context>
<context>
    <name>thanks</name>
    <message>
        <source>谢谢您的评价！您的意见会转给服务站和志愿者。</source>
        <translation>Thank you! Your feedback goes to the station and the volunteers.</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Back to home</translation>
    </message>
</context>
<context>
    <name>time</name>
    <message>
        <source>希望什么时候服务？</source>
        <translation>When would suit you?</translation>
    </message>
    <message>
        <source>哪一天</source>
        <translation>Which day</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>明天</source>
        <translation>Tomorrow</translation>
    </message>
    <message>
        <source>都可以</source>
        <translation>Either</translation>
    </message>
    <message>
        <source>上午还是下午</source>
        <translation>Morning or afternoon</translation>
    </message>
    <message>
        <source>上午</source>
        <translation>Morning</translation>
    </message>
    <message>
        <source>下午</source>
        <translation>Afternoon</translation>
    </message>
    <message>
        <source>具体时间志愿者会打电话和您约定</source>
        <translation>The volunteer will call to agree the exact time</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>voucher</name>
    <message>
        <source>核销码</source>
        <translation>Pickup code</translation>
    </message>
    <message>
        <source>兑换单号 %1</source>
        <translation>Redemption no. %1</translation>
    </message>
    <message>
        <source>%1 积分</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <source>剩余积分 %1</source>
        <translation>Points left: %1</translation>
    </message>
    <message>
        <source>请于 %1 前到 %2 领取</source>
        <translation>Collect by %1 at %2</translation>
    </message>
    <message>
        <source>兑换券已打印，请从下方出纸口取走。</source>
        <translation>Your voucher has printed; please take it from the slot below.</translation>
    </message>
    <message>
        <source>请记下核销码，或用手机拍下二维码，凭它领取。</source>
        <translation>Note the pickup code, or take a photo of the QR code, and collect with it.</translation>
    </message>
    <message>
        <source>打印机缺纸，兑换券没有打出来。</source>
        <translation>The printer is out of paper; the voucher did not print. </translation>
    </message>
    <message>
        <source>打印机盖没关好，兑换券没有打出来。</source>
        <translation>The printer cover is open; the voucher did not print. </translation>
    </message>
    <message>
        <source>打印机没有连接，兑换券没有打出来。</source>
        <translation>The printer is not connected; the voucher did not print. </translation>
    </message>
    <message>
        <source>本机没有打印机。</source>
        <translation>This kiosk has no printer. </translation>
    </message>
    <message>
        <source>打印机出了故障，兑换券没有打出来。</source>
        <translation>The printer has a fault; the voucher did not print. </translation>
    </message>
</context>
<context>
    <name>wizard_cloud</name>
    <message>
        <source>请在服务平台上为本站生成“设备注册码”，把二维码对准扫码口；也可以手动填写。</source>
        <translation>Make a device enrolment code for this station on the platform and hold its QR to the scanner, or type it in.</translation>
    </message>
</context>
<context>
    <name>wizard_done</name>
    <message>
        <source>本机已注册到服务平台。重新启动后开始同步目录和数据。</source>
        <translation>This kiosk is enrolled with the platform. After a restart it syncs the catalogue and data.</translation>
    </message>
    <message>
        <source>现在重新启动</source>
        <translation>Restart now</translation>
    </message>
    <message>
        <source>先检查打印机和扫码器</source>
        <translation>Check the printer and scanner first</translation>
    </message>
</context>
<context>
    <name>wizard_pin</name>
    <message>
        <source>请输入新密码</source>
        <translation>Enter the new PIN</translation>
    </message>
    <message>
        <source>请再输入一次</source>
        <translation>Enter it again</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>设置密码</source>
        <translation>Set PIN</translation>
    </message>
</context>
<context>
    <name>wizard_station</name>
    <message>
        <source>站点编号（平台上的编号，注册时会自动更新）</source>
        <translation>Station id (as on the platform; enrolment sets it)</translation>
    </message>
    <message>
        <source>站点名称（显示在屏幕和小票上）</source>
        <translation>Station name (on screens and receipts)</translation>
    </message>
    <message>
        <source>本机用途</source>
        <translation>Role of this kiosk</translation>
    </message>
    <message>
        <source>点单机</source>
        <translation>Ordering kiosk</translation>
    </message>
    <message>
        <source>礼品兑换机</source>
        <translation>Gift redemption kiosk</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
</TS>
