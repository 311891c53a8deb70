import type { MessageKey } from "./en";

/** French message catalog: same keys as en.ts (the type and a unit test enforce it). */
export const fr: Record<MessageKey, string> = {
  "app.title": "Canal de vente Amazon",
  "app.loading": "Chargement…",
  "app.retry": "Réessayer",
  "app.back": "Retour",
  "app.cancel": "Annuler",
  "app.dismiss": "Masquer",
  "app.yes": "Oui",
  "app.no": "Non",
  "app.none": "—",
  "app.waitingForDashboard": "En attente du tableau de bord Saleor…",

  "auth.unauthorized.title": "Ouvrez cette page depuis le tableau de bord Saleor",
  "auth.unauthorized.body":
    "Le canal de vente Amazon utilise votre connexion au tableau de bord Saleor. Ouvrez-le depuis la section Applications du tableau de bord. S’il y est déjà ouvert, rechargez la page : votre session a peut-être expiré.",
  "auth.forbidden.title": "Autorisation requise",
  "auth.forbidden.body":
    "La gestion des boutiques Amazon nécessite l’autorisation « Gérer les canaux ». Demandez-la à un administrateur Saleor.",
  "error.network": "Le serveur est injoignable. Vérifiez votre connexion et réessayez.",
  "error.generic": "Une erreur s’est produite : {message}",

  "home.subtitle": "Ajoutez des boutiques Amazon pour vos canaux Saleor et connectez-les à Amazon Seller Central.",
  "home.addStore": "Ajouter une boutique Amazon",
  "home.setupLink": "Tâches de préconfiguration",
  "home.storesHeading": "Boutiques Amazon",
  "home.empty.title": "Aucune boutique Amazon pour l’instant",
  "home.empty.body":
    "Ajoutez une boutique Amazon pour l’un de vos canaux Saleor, puis connectez-la à votre compte Amazon Seller Central.",
  "home.created":
    "La boutique « {name} » a été ajoutée. Utilisez Connecter la boutique pour la relier à Amazon Seller Central.",
  "home.updated": "La boutique « {name} » a été enregistrée.",
  "home.deleted": "La boutique « {name} » a été supprimée.",
  "home.activated": "La boutique « {name} » est maintenant active.",
  "home.deactivated": "La boutique « {name} » est maintenant inactive.",
  "home.connectStarted":
    "Amazon Seller Central s’est ouvert dans un nouvel onglet. Connectez-vous en tant qu’utilisateur principal et accordez l’accès ; cette page se met à jour quand vous avez terminé.",
  "home.connectOpenLink": "Ouvrir Amazon Seller Central",
  "home.connectPopupHint": "Pas de nouvel onglet ? Utilisez ce lien :",
  "home.connected": "La boutique « {name} » est connectée à Amazon Seller Central.",
  "home.connectedUnknown": "La boutique est connectée à Amazon Seller Central.",
  "home.connectFailed": "La boutique « {name} » n’a pas pu être connectée : {reason}",
  "home.connectFailedUnknown": "La boutique n’a pas pu être connectée : {reason}",
  "home.connectCancelled": "L’autorisation de « {name} » a été annulée sur Amazon ; rien n’a été modifié.",
  "home.connectCancelledUnknown": "L’autorisation a été annulée sur Amazon ; rien n’a été modifié.",
  "home.attention":
    "{count} boutique(s) demandent votre attention : reconnectez-les pour continuer à vendre sur Amazon.",

  "widget.allGood": "{count} boutique(s) Amazon, aucune ne demande votre attention.",
  "widget.open": "Ouvrir le canal de vente Amazon",

  "card.marketplace": "Place de marché",
  "card.channel": "Canal Saleor",
  "card.channelDeleted": "Canal supprimé",
  "card.status": "État",
  "card.active": "Active",
  "card.inactive": "Inactive",
  "card.sellerId": "ID vendeur",
  "card.created": "Créée le",
  "card.updated": "Modifiée le",
  "card.authorizationExpires": "L’autorisation expire le",
  "card.lastError": "Dernière erreur",
  "card.actions": "Actions pour {name}",

  "action.connect": "Connecter la boutique",
  "action.reconnect": "Reconnecter",
  "action.view": "Voir la boutique",
  "action.activate": "Activer",
  "action.deactivate": "Désactiver",
  "action.delete": "Supprimer",
  "action.edit": "Modifier",
  "action.checkConnection": "Vérifier la connexion",
  "action.disconnect": "Déconnecter",
  "action.working": "En cours…",

  "status.NOT_CONNECTED": "Non connectée",
  "status.CONNECTED": "Connectée",
  "status.AUTHORIZATION_EXPIRING": "Autorisation bientôt expirée",
  "status.AUTHORIZATION_EXPIRED": "Autorisation expirée",
  "status.AUTHORIZATION_REVOKED": "Autorisation révoquée",
  "status.ERROR": "Erreur",
  "statusHint.NOT_CONNECTED": "Connectez la boutique à Amazon Seller Central pour commencer à vendre.",
  "statusHint.CONNECTED": "La boutique est connectée à Amazon Seller Central.",
  "statusHint.AUTHORIZATION_EXPIRING":
    "Les autorisations Amazon durent un an. Reconnectez la boutique avant l’expiration pour qu’elle reste connectée.",
  "statusHint.AUTHORIZATION_EXPIRED": "L’autorisation Amazon a expiré. Reconnectez la boutique pour la renouveler.",
  "statusHint.AUTHORIZATION_REVOKED":
    "L’autorisation a été révoquée dans Seller Central. Reconnectez la boutique pour accorder de nouveau l’accès.",
  "statusHint.ERROR": "La dernière tentative de connexion a échoué. Consultez l’erreur, puis reconnectez la boutique.",

  "delete.title": "Supprimer « {name} » ?",
  "delete.body":
    "Les paramètres de la boutique (canal Saleor, place de marché, correspondance de l’identifiant produit) et son journal d’audit seront supprimés de Saleor. Cette action est irréversible.",
  "delete.amazonNote":
    "L’autorisation Amazon n’est pas supprimée : elle reste dans Seller Central jusqu’à ce que vous la révoquiez (Paramètres › Autorisations des utilisateurs › Gérer vos applications).",
  "delete.confirm": "Supprimer la boutique",

  "disconnect.title": "Déconnecter « {name} » ?",
  "disconnect.body":
    "Saleor oublie l’autorisation Amazon de cette boutique. La boutique et ses paramètres sont conservés ; vous pourrez la reconnecter plus tard.",
  "disconnect.confirm": "Déconnecter",

  "setup.title": "Tâches de préconfiguration",
  "setup.intro": "Effectuez ces tâches avant d’ajouter votre première boutique Amazon.",
  "setup.firstStoreIntro":
    "C’est votre première boutique Amazon. Vérifiez d’abord ces tâches ; vous pourrez y revenir depuis la page du canal de vente Amazon.",
  "setup.continue": "Continuer vers l’ajout d’une boutique",
  "setup.backHome": "Retour au canal de vente Amazon",
  "setup.state.done": "Fait",
  "setup.state.todo": "À vérifier",
  "setup.state.missing": "Action requise",
  "setup.task.sellerAccount.title": "Un compte vendeur Professionnel en règle",
  "setup.task.sellerAccount.body":
    "Il vous faut un compte vendeur Amazon Professionnel en règle sur une place de marché d’Amérique du Nord (NA) ou d’Europe (EU).",
  "setup.task.primaryUser.title": "Se connecter en tant qu’utilisateur principal de Seller Central",
  "setup.task.primaryUser.body":
    "La connexion d’une boutique demande les identifiants de l’utilisateur principal : l’adresse e-mail ou le numéro de téléphone utilisé pour créer le compte vendeur.",
  "setup.task.attributes.title": "Des attributs d’identifiant produit dans Saleor",
  "setup.task.attributes.body":
    "Amazon reconnaît vos produits grâce à un identifiant (ASIN, EAN, GTIN, ISBN, JAN ou UPC). Créez dans Saleor un attribut de produit pour l’identifiant que vous utilisez et renseignez-le, ou utilisez le SKU de la variante.",
  "setup.task.spApi.title": "L’application SP-API dans Amazon Developer Central",
  "setup.task.spApi.body":
    "Enregistrez l’application de partenaire de vente dans Developer Central d’Amazon avec ces deux URI :",
  "setup.redirectUri": "URI de redirection OAuth",
  "setup.loginUri": "URI de connexion OAuth",
  "setup.copy": "Copier",
  "setup.copyLabel": "Copier l’{label}",
  "setup.copied": "Copié",
  "setup.copyFailed": "La copie a échoué : sélectionnez le texte et copiez-le.",
  "setup.draftApp":
    "L’application est à l’état de brouillon : les demandes d’autorisation sont envoyées avec version=beta.",
  "setup.task.plugin.title": "Le plugin configuré dans Saleor",
  "setup.task.plugin.name": "Amazon Sales Channel – settings",
  "setup.task.plugin.open": "Ouvrir le plugin « {name} »",
  "setup.task.plugin.ok": "Le plugin Canal de vente Amazon est configuré.",
  "setup.task.plugin.missing":
    "Manquant dans Configuration › Plugins › Canal de vente Amazon : {fields}. Adressez-vous à un administrateur disposant de l’autorisation « Gérer les plugins ».",
  "setup.task.sellerSettings.title": "Les paramètres de retours, d’expédition et de taxes dans Seller Central",
  "setup.task.sellerSettings.body":
    "Configurez vos paramètres de retours, d’expédition et de taxes dans Seller Central ; Amazon les applique à vos offres et à vos commandes.",

  "config.applicationId": "ID de l’application SP-API",
  "config.lwaClientId": "ID client LWA",
  "config.lwaClientSecret": "Secret client LWA",

  "form.addTitle": "Ajouter une boutique Amazon",
  "form.editTitle": "Modifier « {name} »",
  "form.storeSection": "Boutique",
  "form.channel": "Canal Saleor",
  "form.channelHelp": "Le canal Saleor dont cette boutique Amazon utilise les produits et les commandes.",
  "form.channelPlaceholder": "Choisissez un canal",
  "form.channelDeleted": "Le canal de la boutique a été supprimé : choisissez-en un autre.",
  "form.email": "E-mail de contact",
  "form.name": "Nom de la boutique",
  "form.nameHelp": "Utilisé uniquement dans Saleor pour distinguer vos boutiques, par exemple « Boutique Amazon USA ».",
  "form.marketplace": "Pays de la place de marché Amazon",
  "form.marketplaceHelp": "Le pays dans lequel cette boutique Amazon vend.",
  "form.marketplaceReadOnly": "La place de marché ne peut plus être modifiée une fois la boutique créée.",
  "form.marketplacePlaceholder": "Choisissez un pays",
  "form.group.popular": "Les plus utilisés",
  "form.region.NA": "Amérique du Nord",
  "form.region.EU": "Europe",
  "form.region.FE": "Extrême-Orient",
  "form.mappingSection": "Associez vos attributs Saleor à Amazon",
  "form.productIdType": "ID produit sur la place de marché Amazon",
  "form.productIdTypeHelp": "L’identifiant qu’Amazon utilise pour rapprocher vos produits de son catalogue.",
  "form.attribute": "Attribut Saleor",
  "form.attributeHelp": "L’endroit où Saleor conserve cet identifiant pour chaque produit.",
  "form.attributePlaceholder": "Choisissez un attribut",
  "form.attributeSearch": "Rechercher un attribut Saleor",
  "form.attributeSearchHelp": "Cherche parmi tous les attributs de produit, par nom ou par slug.",
  "form.attributeNoMatch": "Aucun attribut ne correspond à « {search} ».",
  "form.attributeMore": "Afficher plus d’attributs",
  "form.variantSku": "SKU de la variante",
  "form.isActive": "Active",
  "form.submitCreate": "Ajouter la boutique",
  "form.submitUpdate": "Enregistrer",
  "form.saving": "Enregistrement…",
  "form.failed": "La boutique n’a pas pu être enregistrée.",
  "form.required": "Ce champ est obligatoire.",
  "form.invalidEmail": "Saisissez une adresse e-mail valide.",
  "form.nameTaken": "Une autre boutique Amazon porte déjà ce nom : choisissez-en un autre.",
  "form.loadChannelsError": "Les canaux Saleor n’ont pas pu être chargés : {message}",
  "form.loadAttributesError": "Les attributs Saleor n’ont pas pu être chargés : {message}",
  "form.loadMarketplacesError": "Les places de marché Amazon n’ont pas pu être chargées : {message}",
  "form.noChannels": "Il n’y a encore aucun canal dans Saleor.",

  "errorCode.GRAPHQL_ERROR": "La requête a été refusée.",
  "errorCode.INVALID": "Cette valeur n’est pas valide.",
  "errorCode.NOT_FOUND": "Introuvable.",
  "errorCode.REQUIRED": "Ce champ est obligatoire.",
  "errorCode.UNIQUE": "Cette valeur est déjà utilisée par une autre boutique.",
  "errorCode.IMMUTABLE": "Cette valeur ne peut pas être modifiée.",
  "errorCode.PLUGIN_NOT_CONFIGURED":
    "Le plugin Canal de vente Amazon n’est pas encore configuré. Consultez les tâches de préconfiguration.",
  "errorCode.NOT_CONNECTED": "La boutique n’est pas connectée à Amazon.",
  "errorCode.ALREADY_CONNECTED": "La boutique est déjà connectée.",
  "errorCode.SELLER_MISMATCH":
    "Le compte vendeur Amazon n’est pas celui avec lequel cette boutique a été connectée.",
  "errorCode.AMAZON_UNAVAILABLE": "Amazon est injoignable. Réessayez dans quelques minutes.",
  "errorCode.AUTHORIZATION_REVOKED": "L’autorisation Amazon a été révoquée. Reconnectez la boutique.",
  "errorCode.MARKETPLACE_NOT_PARTICIPATING": "Le compte vendeur ne vend pas sur cette place de marché.",

  "detail.details": "Détails de la boutique",
  "detail.contactEmail": "E-mail de contact",
  "detail.marketplaceId": "ID de la place de marché",
  "detail.domain": "Site Amazon",
  "detail.productIdentifier": "Identifiant produit",
  "detail.identifierFromAttribute": "{type} issu de l’attribut « {attribute} »",
  "detail.identifierFromSku": "{type} issu du SKU de la variante",
  "detail.authorization": "Autorisation",
  "detail.authorizedAt": "Autorisée le",
  "detail.expiresAt": "Expire le",
  "detail.lastCheckedAt": "Dernière vérification",
  "detail.participations": "Participation aux places de marché",
  "detail.participationsEmpty":
    "Pas encore de données de participation. Connectez la boutique, puis vérifiez la connexion.",
  "detail.col.marketplace": "Place de marché",
  "detail.col.storeName": "Nom de la boutique sur Amazon",
  "detail.col.participating": "Participe",
  "detail.col.suspended": "Offres suspendues",
  "detail.events": "Journal d’audit",
  "detail.eventsEmpty": "Aucun événement pour l’instant.",
  "detail.col.date": "Date",
  "detail.col.event": "Événement",
  "detail.col.actor": "Par",
  "detail.col.message": "Détails",
  "detail.checked": "Connexion vérifiée : {status}.",
  "detail.disconnected": "La boutique a été déconnectée.",
  "detail.notFound": "Cette boutique n’existe pas ; elle a peut-être été supprimée.",
  "detail.openSellerCentral": "Ouvrir Seller Central",

  "event.CREATED": "Création",
  "event.UPDATED": "Modification",
  "event.DELETED": "Suppression",
  "event.ACTIVATED": "Activation",
  "event.DEACTIVATED": "Désactivation",
  "event.CONNECT_STARTED": "Connexion commencée",
  "event.CONNECTED": "Connexion réussie",
  "event.CONNECT_FAILED": "Échec de la connexion",
  "event.RENEWED": "Autorisation renouvelée",
  "event.DISCONNECTED": "Déconnexion",
  "event.REVOKED": "Autorisation révoquée",
  "event.EXPIRED": "Autorisation expirée",
  "event.CHECKED": "Connexion vérifiée",
  "event.CHECK_FAILED": "Échec de la vérification",
  "event.CHANNEL_DELETED": "Canal Saleor supprimé",
  "event.REMINDER_SENT": "Rappel de renouvellement envoyé",

  "connectResult.connected.title": "Votre boutique est connectée à Amazon",
  "connectResult.connected.body":
    "Amazon Seller Central a autorisé le canal de vente Amazon. Revenez au tableau de bord Saleor : la carte de la boutique affiche son nouvel état.",
  "connectResult.cancelled.title": "Autorisation annulée",
  "connectResult.cancelled.body":
    "Vous avez annulé sur Amazon ; rien n’a été modifié. Vous pouvez recommencer avec Connecter la boutique sur la carte de la boutique.",
  "connectResult.error.title": "La boutique n’a pas pu être connectée",
  "connectResult.invalid.title": "Rien à afficher ici",
  "connectResult.invalid.body":
    "Cette page affiche le résultat d’une autorisation Amazon, et ce lien n’en contient aucun.",
  "connectResult.code": "Code : {code}",
  "connectResult.closeTab": "Fermer cet onglet",
  "connectResult.closeHint":
    "Si l’onglet reste ouvert, fermez-le vous-même et revenez au tableau de bord Saleor.",

  "reason.STATE_INVALID":
    "La réponse d’Amazon ne correspond à aucune demande de connexion de ce Saleor. Recommencez avec Connecter la boutique.",
  "reason.STATE_EXPIRED":
    "La demande de connexion a expiré avant la réponse d’Amazon. Recommencez avec Connecter la boutique et terminez en moins de 15 minutes.",
  "reason.STATE_USED":
    "Cette demande de connexion a déjà été utilisée. Si la boutique n’est toujours pas connectée, recommencez avec Connecter la boutique.",
  "reason.CANCELLED": "L’autorisation a été annulée sur Amazon.",
  "reason.AMAZON_MD1000":
    "Amazon a refusé la demande (MD1000) : l’application SP-API est sans doute encore à l’état de brouillon. Vérifiez le réglage « brouillon » du plugin et l’application dans Developer Central.",
  "reason.AMAZON_MD5101":
    "Amazon a refusé la demande (MD5101) : l’URI de redirection n’est pas enregistrée pour l’application. Enregistrez l’URI de redirection indiquée dans les tâches de préconfiguration.",
  "reason.AMAZON_MD5110":
    "Amazon a refusé la demande (MD5110) : l’URI de redirection n’est pas valide. Enregistrez-la exactement comme indiqué dans les tâches de préconfiguration.",
  "reason.AMAZON_ERROR": "Amazon a renvoyé une erreur pendant l’autorisation. Réessayez plus tard.",
  "reason.INVALID_GRANT":
    "Amazon n’a pas accepté le code d’autorisation (trop ancien ou déjà utilisé). Recommencez avec Connecter la boutique.",
  "reason.INVALID_CLIENT":
    "Amazon n’a pas accepté les identifiants de l’application. Vérifiez l’ID client et le secret LWA dans la configuration du plugin.",
  "reason.UNAUTHORIZED_CLIENT":
    "L’application n’est pas autorisée à demander cette autorisation. Vérifiez l’application dans Developer Central.",
  "reason.AMAZON_UNAVAILABLE": "Amazon est injoignable. Réessayez dans quelques minutes.",
  "reason.SP_API_FORBIDDEN":
    "Amazon a refusé l’accès aux données du vendeur. Vérifiez les rôles de l’application SP-API (Selling Partner Insights, Finance and Accounting).",
  "reason.SP_API_THROTTLED": "Amazon limite les requêtes en ce moment. Patientez une minute, puis réessayez.",
  "reason.MARKETPLACE_NOT_PARTICIPATING":
    "Le compte vendeur ne vend pas sur la place de marché de cette boutique. Connectez-vous avec le compte vendeur de cette place de marché.",
  "reason.SELLER_MISMATCH":
    "Vous vous êtes connecté avec un autre compte vendeur que celui de cette boutique. Connectez-vous avec le même compte.",
  "reason.SELLER_ALREADY_CONNECTED":
    "Ce compte vendeur est déjà connecté à une autre boutique pour la même place de marché.",
  "reason.INTERNAL_ERROR": "Une erreur s’est produite de notre côté pendant la finalisation de la connexion. Rien n’a été modifié ; réessayez, et contactez votre administrateur si le problème persiste.",
  "reason.STORE_NOT_FOUND": "La boutique n’existe plus dans Saleor ; elle a peut-être été supprimée.",
  "reason.PLUGIN_NOT_CONFIGURED":
    "Le plugin Canal de vente Amazon n’est pas configuré. Consultez les tâches de préconfiguration.",
  "reason.UNKNOWN": "Une erreur inattendue s’est produite pendant l’autorisation.",
};
