"""Traditional script (繁体字) read as simplified (简体字), for every text a form carries.

Forms published in traditional script (``產出指標``, ``不低於90%``, ``萬元``) say exactly
what their simplified twins say.  :func:`simplify` maps them character by character onto
the simplified script the rule sets, aliases and value language are written in, and turns
full-width digits and Latin letters (``９０％``) into their ASCII forms.

The table is a character table, not a word list: every common traditional character whose
simplified form differs, so that a label or a value nobody anticipated still reads.  Only
characters that are *not* themselves in use in simplified text are mapped — ``著`` (显著),
``乾`` (乾坤), ``藉`` (狼藉), ``瞭`` (瞭望), ``夥`` and ``祇`` stay as printed — so
simplified text is never altered and :func:`simplify` is idempotent.

The translation table is built once at import; :func:`simplify` is a single
:meth:`str.translate` call: pure, allocation-light and safe from any thread.
"""

from __future__ import annotations

__all__ = ["TRADITIONAL", "simplify"]

# Pairs written "繁简" and grouped by the component whose simplification they share, so a
# reviewer can check each line against the 简化字总表 at a glance.  Variant forms that
# printed forms use (爲, 産, 綫, 衆, 啓, 僞, 値, 裡) map like their standard forms.
_PAIRS = """
說说 話话 語语 計计 訂订 認认 討讨 讓让 訓训 議议 記记 講讲 許许 論论 設设 訪访
證证 評评 識识 詞词 試试 詳详 誠诚 誤误 請请 讀读 調调 諾诺 談谈 課课 謝谢 譽誉 護护
變变 譯译 診诊 該该 誰谁 諮咨 詢询 訊讯 誌志 謀谋 諸诸 謂谓 謹谨 譜谱 諒谅 訴诉 訟讼
詐诈 誇夸 誘诱 託托 詮诠 誼谊 諧谐 謠谣 譴谴 讚赞 譏讥 訝讶 誕诞 諱讳 謊谎 誦诵 諷讽
謎谜 詩诗 註注 訃讣 訛讹 訣诀 詆诋 詔诏 詠咏 誣诬 誨诲 諂谄 諉诿 諜谍 諦谛 諫谏 諭谕
諳谙 諺谚 謁谒 謄誊 謗谤 謙谦 謬谬 讒谗 訖讫 觸触 譁哗
錢钱 銀银 鐵铁 鋼钢 銷销 鎮镇 錯错 鐘钟 鍾钟 針针 鈔钞 錄录 銘铭 鋪铺 鏈链 鎖锁
鍵键 鑒鉴 鑑鉴 銳锐 鑽钻 鋁铝 銅铜 錫锡 鍋锅 鉛铅 鑄铸 鏡镜 釘钉 鈴铃 鉤钩 錦锦 鋒锋
錘锤 鑰钥 銜衔 鍛锻 釣钓 鉀钾 鈣钙 鋅锌 鎂镁 錶表 鍍镀 鏽锈 鈍钝 鈞钧 鈉钠 鈕钮 鈾铀
鉅巨 鉗钳 銑铣 鋤锄 鋸锯 錐锥 錠锭 錨锚 鍬锹 鎊镑 鎔熔 鎬镐 鏟铲 鐮镰 鑲镶 鑼锣 鑿凿
經经 統统 紅红 組组 織织 級级 約约 紀纪 純纯 紙纸 納纳 細细 終终 結结 給给 絕绝
絡络 網网 綜综 維维 綠绿 線线 綫线 練练 編编 緊紧 績绩 總总 縣县 繳缴 續续 纖纤 緣缘
縮缩 紛纷 紋纹 紡纺 絲丝 繼继 綱纲 緩缓 緯纬 縫缝 繩绳 繪绘 繞绕 纏缠 紮扎 緒绪 絨绒
緝缉 縱纵 縛缚 繫系 紐纽 紳绅 綢绸 緞缎 縷缕 纜缆 紗纱 紹绍 締缔 緻致 綿绵 綻绽 繡绣
綁绑 繃绷 糾纠 紉纫 紓纾 綴缀 緘缄 繭茧 繽缤 絀绌
門门 問问 間间 開开 閉闭 關关 閱阅 闡阐 閃闪 閑闲 閒闲 悶闷 閣阁 閘闸 闊阔 閩闽 閥阀
闖闯 闆板 閏闰 闕阙 閻阎 闢辟 閡阂 閭闾 闔阖 聞闻 鬧闹
貝贝 財财 責责 貢贡 質质 資资 費费 貸贷 貿贸 賀贺 貴贵 買买 賣卖 購购 贈赠 賞赏 賠赔
賬账 賃赁 賦赋 賴赖 賽赛 贊赞 贏赢 負负 販贩 貨货 貧贫 貪贪 貫贯 賺赚 贖赎 賤贱 賢贤
賓宾 貼贴 賭赌 贓赃 賄贿 賂赂 賜赐 賊贼 貯贮 贍赡 貞贞 貶贬 賑赈 賒赊 贅赘 敗败 則则
側侧 測测 廁厕 員员 圓圆 韻韵 損损 勛勋 勳勋 實实
見见 觀观 規规 視视 覺觉 覽览 親亲 現现 覓觅
頁页 項项 順顺 須须 預预 領领 頻频 額额 題题 顯显 類类 願愿 顧顾 頭头 顏颜 頂顶 傾倾
穎颖 頒颁 頌颂 頓顿 頗颇 頸颈 頹颓 顆颗 顛颠 顫颤 碩硕 煩烦 頑顽 顱颅
馬马 驗验 駐驻 駕驾 騎骑 驅驱 驟骤 騰腾 駛驶 驚惊 騙骗 駁驳 驢驴 騷骚 篤笃 罵骂 媽妈
嗎吗 碼码 瑪玛 駒驹 駝驼 駭骇 駱骆 騾骡 驛驿 驕骄
車车 軍军 轉转 輕轻 輸输 較较 載载 輔辅 輛辆 輪轮 軟软 輯辑 轄辖 軌轨 軒轩 連连 運运
陣阵 庫库 陳陈 揮挥 渾浑 暈晕 斬斩 漸渐 慚惭 暫暂 輩辈 轟轰 輿舆 輻辐 轎轿 蓮莲 軋轧
軸轴 輓挽 輾辗 轅辕
飯饭 飲饮 飼饲 飽饱 餅饼 館馆 餘余 饑饥 飢饥 餓饿 養养 飾饰 餵喂 饒饶 餡馅 饋馈 饅馒
餃饺 蝕蚀 飛飞
魚鱼 鮮鲜 漁渔 鯨鲸 鯉鲤 鯊鲨 鱗鳞 鳥鸟 雞鸡 鴨鸭 鵝鹅 鳴鸣 鴻鸿 鷹鹰 島岛 鳳凤 鴿鸽
鶴鹤
國国 圖图 團团 園园 圍围 區区 醫医 廠厂 廣广 應应 廳厅 發发 髮发 處处 際际 學学 舉举
與与 興兴 會会 來来 時时 對对 導导 長长 張张 報报 執执 勢势 熱热 機机 構构 檢检 險险
儉俭 劍剑 簽签 臉脸 權权 歡欢 勸劝 獲获 穫获 環环 還还 壞坏 懷怀 擴扩 礦矿 黨党 當当
擋挡 檔档 嘗尝 償偿 個个 們们 條条 業业 專专 傳传 東东 務务 動动 勞劳 營营 榮荣 螢萤
歲岁 歷历 曆历 壓压 價价 數数 據据 擬拟 劃划 畫画 劇剧 戲戏 點点 無无 為为 爲为 萬万
億亿 極极 選选 遷迁 遠远 遞递 邊边 達达 過过 進进 適适 遲迟 週周 遺遗 違违 遙遥 邏逻
遼辽 隨随 陽阳 陰阴 陸陆 隊队 階阶 隱隐 隸隶 難难 雙双 雜杂 雖虽 離离 電电 雲云 霧雾
靈灵 響响 風风 體体 歸归 滿满 準准 溝沟 濟济 淺浅 湯汤 溫温 減减 湧涌 漲涨 潔洁 澤泽
濃浓 濕湿 溼湿 滯滞 滲渗 漢汉 潛潜 灣湾 灘滩 瀏浏 濱滨 淚泪 涼凉 滅灭 滄沧 滬沪 氣气
態态 戀恋 憂忧 懲惩 慮虑 憶忆 懶懒 懸悬 聰聪 聯联 聲声 聽听 職职 標标 樣样 樹树 橋桥
櫃柜 檯台 臺台 颱台 楊杨 楓枫 棟栋 樓楼 欄栏 槍枪 樂乐 樸朴 橫横 彙汇 匯汇 滙汇 產产
産产 鄉乡 鄰邻 鄧邓 鄭郑 農农 義义 儀仪 犧牺 獎奖 奬奖 獨独 獄狱 狀状 猶犹 狹狭 貓猫
獻献 獸兽 單单 戰战 彈弹 嚴严 攪搅 擔担 擇择 撥拨 擁拥 擊击 撲扑 擾扰 攝摄 擺摆 攜携
擠挤 掃扫 揚扬 換换 搶抢 拋抛 掛挂 採采 揀拣 撫抚 摟搂 攔拦 搖摇 撐撑 攤摊 撿捡 摯挚
搗捣 撈捞 塊块 壇坛 墾垦 壩坝 壘垒 墳坟 場场 堅坚 塗涂 墊垫 壯壮 備备 復复 複复 夠够
夢梦 奪夺 奮奋 婦妇 孫孙 寧宁 寶宝 寫写 審审 寬宽 將将 尋寻 屆届 屬属 層层 屢屡 岡冈
崗岗 嶺岭 峽峡 幣币 帥帅 師师 帳帐 帶带 幫帮 幹干 幾几 廢废 彌弥 強强 彎弯 徑径 從从
後后 徵征 戶户 斷断 於于 晉晋 晝昼 暢畅 曉晓 書书 歐欧 殘残 殺杀 殼壳 毀毁 決决 沒没
況况 潤润 澀涩 濾滤 瀉泻 灑洒 災灾 烏乌 煙烟 燈灯 燒烧 燭烛 燦灿 爐炉 爭争 爺爷 牆墙
墻墙 瓊琼 畝亩 畢毕 異异 疊叠 療疗 癢痒 盡尽 監监 盤盘 盧卢 眾众 衆众 睜睁 礎础 確确
磚砖 礙碍 禮礼 禍祸 禦御 稅税 稱称 穩稳 穀谷 積积 種种 窮穷 竊窃 競竞 筆笔 築筑 節节
範范 簡简 籃篮 籌筹 籤签 糧粮 罰罚 罷罢 羅罗 習习 聖圣 肅肃 脅胁 脈脉 腦脑 腫肿 膚肤
膽胆 臘腊 臟脏 髒脏 臨临 舊旧 艙舱 艱艰 藝艺 莊庄 華华 葉叶 蔣蒋 蓋盖 蘭兰 藥药 蘇苏
蘋苹 蘆芦 蘊蕴 薦荐 薑姜 蕭萧 藍蓝 虛虚 號号 蟲虫 蠶蚕 補补 裝装 製制 襯衬 襲袭 豎竖
豐丰 豬猪 趙赵 趕赶 躍跃 蹤踪 踐践 軀躯 辦办 辭辞 郵邮 醜丑 釋释 靜静 韓韩 鬥斗 鬱郁
魯鲁 鹽盐 麥麦 麵面 黃黄 齊齐 齒齿 齡龄 龍龙 龜龟 兒儿 兩两 內内 冊册 僅仅 儲储 優优
傭佣 債债 傷伤 傑杰 僱雇 僞伪 偽伪 儘尽 兇凶 劑剂 勁劲 勝胜 勵励 協协 卻却 厲厉 厭厌
參参 叢丛 吳吴 啟启 啓启 喪丧 喬乔 嘆叹 噸吨 噴喷 嚇吓 囑嘱 塵尘 墜坠 壽寿 奧奥 妝妆
嬰婴 寵宠 嶄崭 巖岩 廟庙 徹彻 恆恒 恥耻 悅悦 惡恶 噁恶 惱恼 愛爱 慣惯 慘惨 慶庆 憑凭
憤愤 憲宪 懇恳 懼惧 敵敌 斂敛 曬晒 棄弃 樞枢 毆殴 漿浆 滾滚 漬渍 潑泼 濁浊 濫滥 煉炼
燙烫 瑣琐 疇畴 瘋疯 癒愈 盃杯 盜盗 盞盏 矯矫 祿禄 禱祷 稈秆 窩窝 窯窑 竄窜 竅窍 筍笋
糞粪 羨羡 翹翘 聳耸 脫脱 脹胀 膠胶 艦舰 蟻蚁 衛卫 衝冲 沖冲 裏里 裡里 褲裤 豈岂 趨趋
跡迹 蹟迹 踴踊 迴回 遊游 醞酝 釀酿 陝陕 隕陨 隴陇 雛雏 韌韧 鬆松 鹼碱 麗丽 黴霉
値值 隻只 衹只 纔才 麼么 嚮向 尷尴 並并 併并 佈布 佔占 侖仑 倫伦 淪沦 偉伟 韋韦 傘伞
傢家 僑侨 劉刘 創创 剛刚 剝剥 勻匀 匱匮 啞哑 喚唤 嘩哗 嚨咙 囂嚣 壺壶 夾夹 娛娱 嬸婶
寢寝 屍尸 屜屉 嶼屿 巔巅 幟帜 廂厢 廈厦 廚厨 廬庐 懺忏 挾挟 捨舍 掙挣 揹背 攙搀 敘叙
斃毙 暉晖 曖暧 棗枣 棧栈 槳桨 樁桩 樺桦 櫥橱 欖榄 殯殡 氈毡 氫氢 滷卤 澱淀 澆浇 濺溅
瀾澜 烴烃 煥焕 燉炖 燴烩 爍烁 爛烂 獅狮 獵猎 瑩莹 瓏珑 甕瓮 瘍疡 瘓痪 癡痴 癥症 皺皱
睏困 砲炮 硯砚 磯矶 禿秃 稟禀 稜棱 穢秽 窪洼 窺窥 箏筝 篩筛 簷檐 籬篱 粵粤 糰团 腎肾
腳脚 臍脐 艷艳 豔艳 茲兹 莖茎 萵莴 葦苇 蔥葱 蕎荞 蕪芜 薔蔷 藹蔼 蘿萝 虜虏 蝦虾 蝸蜗
螞蚂 蟬蝉 蠅蝇 蠟蜡 襖袄 軔轫 輟辍 辮辫 辯辩 遜逊 醬酱 釐厘 陘陉 霽霁 韁缰 颳刮 飄飘
鬍胡 鹵卤 鹹咸 齋斋 龐庞 彥彦 頤颐 覈核 瀋沈 捲卷 剋克 瀰弥 蔔卜 鐲镯 衊蔑 縐绉
繅缫 罈坛 鉚铆 銖铢 鏢镖 饃馍 閂闩 鬨哄 鬩阋 鼴鼹 齦龈 龕龛 鏗铿 鳩鸠 鴉鸦 鵬鹏
鷗鸥 鸚鹦 鵲鹊 鵡鹉 鴛鸳 鴦鸯 驥骥 驃骠 騁骋 駟驷 煒炜 燜焖 瑋玮 蕓芸 薈荟 蘚藓
轆辘 鄖郧 鄲郸 隉陧 餌饵 餒馁 餞饯 餾馏 饉馑 饞馋 驍骁 鬢鬓 鱉鳖 鱔鳝 鱷鳄 鰭鳍 鰍鳅
鯽鲫 魷鱿 鵑鹃 鷺鹭 麩麸 黷黩 齟龃 嶇岖 嘔呕 甌瓯 謳讴 嫗妪
皚皑 骯肮 絆绊 鮑鲍 鋇钡 狽狈 憊惫 別别 癟瘪 瀕濒 擯摈 鉢钵 鉑铂 蒼苍 倉仓 詫诧
摻掺 腸肠 馳驰 熾炽 躊踌 瘡疮 牀床 脣唇 綽绰 囪囱 湊凑 躥蹿 撣掸 憚惮 蕩荡 滌涤
丟丢 凍冻 犢犊 兌兑 墮堕 爾尔 貳贰 琺珐 礬矾 釩钒 誹诽 馮冯 贛赣 槓杠 擱搁 鉻铬
龔龚 宮宫 鞏巩 蠱蛊 剮剐 閨闺 詭诡 劊刽 輥辊 渙涣 輝辉 葷荤 薊蓟 莢荚 頰颊 賈贾
殲歼 箋笺 檻槛 澗涧 嬌娇 鉸铰 僥侥 絞绞 誡诫 燼烬 荊荆 痙痉 淨净 廄厩 絹绢 駿骏
凱凯 摳抠 儈侩 曠旷 虧亏 巋岿 潰溃 萊莱 闌阑 讕谰 攬揽 澇涝 鐳镭 礫砾 瀝沥 倆俩
憐怜 漣涟 簾帘 鐐镣 凜凛 聾聋 籠笼 壟垄 攏拢 婁娄 簍篓 擄掳 呂吕 侶侣 巒峦 攣挛
孿孪 灤滦 亂乱 掄抡 綸纶 籮箩 邁迈 瞞瞒 蠻蛮 謾谩 錳锰 祕秘 冪幂 緬缅 憫悯 吶呐
撓挠 膩腻 攆撵 聶聂 齧啮 鑷镊 鎳镍 檸柠 獰狞 擰拧 濘泞 膿脓 瘧疟 漚沤 僕仆 棲栖
悽凄 牽牵 釺钎 塹堑 嗆呛 欽钦 頃顷 齲龋 顴颧 薩萨 鰓鳃 叄叁 剎刹 刪删 繕缮 懾慑
蝨虱 術术 慫怂 擻擞 綏绥 獺獭 撻挞 癱瘫 譚谭 濤涛 絛绦 銻锑 蛻蜕 鴕鸵 馱驮 橢椭
襪袜 濰潍 撾挝 渦涡 臥卧 嗚呜 鎢钨 塢坞 俠侠 鍁锨 嘯啸 蠍蝎 釁衅 洶汹 噓嘘 癬癣
絢绚 燻熏 馴驯 亞亚 閹阉 瑤瑶 堯尧 銥铱 詣诣 繹绎 蔭荫 櫻樱 纓缨 熒荧 喲哟 癰痈
籲吁 馭驭 淵渊 攢攒 鍘铡 柵栅 蟄蛰 轍辙 鍺锗 這这 偵侦 猙狰 幀帧 擲掷 謅诌 誅诛
矚瞩 諄谆 鄒邹 詛诅 靚靓 繮缰
"""

TRADITIONAL: dict[str, str] = {}
"""Every traditional character read, with the simplified character it reads as."""

for _pair in _PAIRS.split():
    TRADITIONAL[_pair[0]] = _pair[1]

# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ), the full-width per cent sign and
# full stop: typed by Chinese input methods inside numbers and always meaning the ASCII
# character.  Full-width punctuation that separates clauses (，；：) is left for the
# value reader, which knows when a comma groups thousands and when it ends a clause.
_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF10, 0xFF1A)}
_WIDTH |= {chr(code): chr(code - 0xFEE0) for code in range(0xFF21, 0xFF3B)}
_WIDTH |= {chr(code): chr(code - 0xFEE0) for code in range(0xFF41, 0xFF5B)}
_WIDTH |= {"％": "%", "．": "."}

_TABLE = str.maketrans(TRADITIONAL | _WIDTH)


def simplify(text: str) -> str:
    """``text`` in simplified script with ASCII digits and letters.

    ``產出指標`` → ``产出指标``, ``不低於９０％`` → ``不低于90%``, ``萬元`` → ``万元``.  Simplified
    text comes back unchanged, and ``simplify(simplify(t)) == simplify(t)`` for every ``t``.
    """
    return text.translate(_TABLE)
