"""Default CX taxonomy for a Spanish retail/services company (es + en rules), as plain data."""

from __future__ import annotations

from typing import Any

from .topics import Taxonomy


def _t(
    slug: str, es: str, en: str, parent: str | None, rule_es: str, rule_en: str
) -> dict[str, Any]:
    return {
        "slug": slug,
        "name_es": es,
        "name_en": en,
        "parent": parent,
        "rules": {"es": rule_es, "en": rule_en},
    }


DEFAULT_TAXONOMY: list[dict[str, Any]] = [
    # Personal / staff
    _t(
        "personal",
        "Atención del personal",
        "Staff",
        None,
        "personal OR dependient* OR emplead* OR vendedor* OR trato OR atencion OR atendi* OR "
        "comercial OR asesor* OR agente OR operador* OR tecnico OR repartidor OR cajer*",
        "staff OR employee* OR agent OR assistant OR seller OR salesperson OR attendant OR "
        "technician OR driver OR cashier OR rep OR representative OR service",
    ),
    _t(
        "personal-amabilidad",
        "Amabilidad y trato",
        "Friendliness",
        "personal",
        "amabl* OR simpati* OR atent* OR educad* OR grosero* OR maleducad* OR borde OR "
        'antipatic* OR cordial* OR desagradabl* OR "buen trato" OR "mal trato"',
        "friendl* OR polite OR rude OR kind OR courteous OR helpful OR unhelpful OR attitude",
    ),
    _t(
        "personal-conocimiento",
        "Conocimiento y profesionalidad",
        "Knowledge",
        "personal",
        "profesional* OR incompetent* OR (sab* NEAR/3 nada) OR conocimiento OR experto OR "
        '"no sabia" OR "no sabian" OR asesora*',
        "knowledgeable OR knowledge OR professional* OR incompetent OR clueless OR expert",
    ),
    # Waiting time
    _t(
        "espera",
        "Tiempo de espera",
        "Waiting time",
        None,
        "espera* OR esperar OR cola OR colas OR tard* OR minutos OR horas OR demora* OR lent* "
        "OR rapid* OR agil*",
        "wait* OR queue* OR line OR minutes OR hours OR slow OR quick* OR fast OR delay*",
    ),
    _t(
        "espera-telefono",
        "Espera telefónica",
        "Phone waiting time",
        "espera",
        "(telefon* OR llamad* OR llame OR centralita OR linea) NEAR/6 (espera* OR minutos OR "
        "horas OR cola OR nadie OR cuelga*)",
        "(phone OR call* OR hold OR line) NEAR/6 (wait* OR minutes OR hours OR hung OR nobody)",
    ),
    # Delivery
    _t(
        "entrega",
        "Entrega",
        "Delivery",
        None,
        "entreg* OR envio OR envios OR pedido* OR paquete* OR repart* OR transportist* OR "
        "mensajer* OR recibi* OR llego OR llegada",
        "deliver* OR shipping OR shipment OR parcel OR package OR order OR courier OR arrived",
    ),
    _t(
        "entrega-retraso",
        "Retraso en la entrega",
        "Late delivery",
        "entrega",
        "((entreg* OR envio OR pedido* OR paquete* OR llego OR llegada) NEAR/8 (tard* OR "
        'retras* OR demora* OR dias OR semanas OR plazo)) OR "nunca llego" OR "no llego" '
        'OR "todavia no" OR "aun no"',
        "((deliver* OR order OR package OR parcel OR arrived OR shipping) NEAR/8 (late OR delay* "
        'OR days OR weeks OR still)) OR "never arrived" OR "not arrived" OR "still waiting"',
    ),
    _t(
        "entrega-danos",
        "Daños en la entrega",
        "Damaged delivery",
        "entrega",
        "(roto OR rota OR rotos OR golpe* OR dañad* OR danad* OR abollad* OR rayad* OR "
        "desperfecto*) NEAR/10 (entreg* OR llego OR caja OR paquete* OR pedido* OR transport*)",
        "(broken OR damaged OR dented OR scratched OR crushed) NEAR/10 (deliver* OR arrived OR "
        "box OR package OR parcel OR order)",
    ),
    # Installation
    _t(
        "instalacion",
        "Instalación",
        "Installation",
        None,
        "instal* OR montaj* OR montar OR montador* OR tecnico* OR puesta",
        'install* OR setup OR "set up" OR assembly OR fitter OR technician',
    ),
    _t(
        "instalacion-cita",
        "Cita de instalación",
        "Installation appointment",
        "instalacion",
        "(instal* OR montaj* OR tecnico*) NEAR/8 (cita OR vinieron OR vino OR aparec* OR "
        "plantad* OR cancel* OR cambi* OR dia)",
        '(install* OR technician OR fitter) NEAR/8 (appointment OR showed OR came OR "no show" '
        "OR cancel* OR rescheduled OR day)",
    ),
    # Price
    _t(
        "precio",
        "Precio",
        "Price",
        None,
        "precio* OR caro OR cara OR caros OR caras OR barat* OR economic* OR coste OR costo OR "
        'tarifa* OR oferta* OR descuento* OR promocion* OR "relacion calidad precio"',
        "price* OR pricey OR expensive OR cheap* OR cost* OR tariff OR offer* OR discount* OR "
        "deal OR promotion OR value",
    ),
    # Product quality
    _t(
        "calidad-producto",
        "Calidad del producto",
        "Product quality",
        None,
        "producto* OR articulo* OR calidad OR material* OR defectuos* OR defecto* OR averi* OR "
        "funciona OR estropea* OR durabilidad OR fragil",
        "product* OR item* OR quality OR material* OR defective OR defect* OR faulty OR "
        "broke OR works OR working OR durable OR flimsy",
    ),
    # Billing
    _t(
        "facturacion",
        "Facturación y cobros",
        "Billing and charges",
        None,
        "factur* OR cobr* OR pago* OR pagar OR recibo* OR cargo* OR tarjeta OR importe OR "
        "domiciliacion OR reembolso*",
        "bill* OR invoice* OR charg* OR payment* OR pay OR paid OR receipt OR card OR refund*",
    ),
    _t(
        "facturacion-cobro-indebido",
        "Cobro indebido",
        "Wrong charge",
        "facturacion",
        '"cobro indebido" OR "cobros indebidos" OR (cobr* NEAR/4 (mas OR doble OR dos OR '
        "indebid* OR error OR sin)) OR (cargo* NEAR/4 (indebid* OR duplicad* OR error)) OR "
        '"no autorice"',
        'overcharg* OR "charged twice" OR "double charged" OR (charg* NEAR/4 (wrong OR twice '
        'OR extra OR unauthorized OR incorrect)) OR "did not authorize"',
    ),
    # Warranty & returns
    _t(
        "garantia-devoluciones",
        "Garantía y devoluciones",
        "Warranty and returns",
        None,
        "garantia OR devol* OR devuelv* OR reembols* OR cambio OR cambiar OR reclamacion* OR "
        "reparacion OR repar*",
        "warranty OR guarantee OR return* OR refund* OR exchange OR replacement OR repair*",
    ),
    # Web / app
    _t(
        "web-app",
        "Web y app",
        "Website and app",
        None,
        "web OR pagina OR app OR aplicacion OR online OR internet OR login OR contrasena OR "
        'carrito OR "area cliente" OR movil',
        "website OR web OR site OR app OR online OR login OR password OR checkout OR cart OR "
        "portal",
    ),
    _t(
        "web-app-errores",
        "Errores de la web/app",
        "Website/app errors",
        "web-app",
        '(web OR pagina OR app OR aplicacion OR online) NEAR/6 (error* OR fall* OR "no '
        'funciona" OR "no deja" OR caid* OR colgad* OR lent*)',
        "(website OR site OR app OR online OR login) NEAR/6 (error* OR crash* OR bug* OR down OR "
        '"not working" OR slow OR broken)',
    ),
    # Store
    _t(
        "tienda",
        "Tienda",
        "Store",
        None,
        "tienda* OR local OR establecimiento OR sucursal OR oficina OR probador* OR cajera OR "
        "escaparate OR aparcamiento OR parking",
        'store OR shop OR branch OR outlet OR premises OR "fitting room" OR checkout OR parking',
    ),
    _t(
        "tienda-limpieza-orden",
        "Limpieza y orden de la tienda",
        "Store cleanliness",
        "tienda",
        "limpi* OR sucio* OR sucia* OR desorden* OR ordenad* OR desordenad*",
        "clean* OR dirty OR messy OR tidy OR untidy",
    ),
    # Communication
    _t(
        "comunicacion",
        "Comunicación e información",
        "Communication and information",
        None,
        "informacion OR informa* OR comunica* OR aviso OR avisar OR avisaron OR respuesta OR "
        "respond* OR contesta* OR email OR correo OR sms OR notificacion*",
        "inform* OR communicat* OR notif* OR update* OR respon* OR reply OR replied OR email OR "
        "message* OR told OR explain*",
    ),
    _t(
        "comunicacion-sin-respuesta",
        "Sin respuesta",
        "No response",
        "comunicacion",
        '"sin respuesta" OR "no contestan" OR "no responden" OR "nadie contesta" OR '
        '"nadie responde" OR "ni caso" OR ((no OR nadie OR nunca) NEAR/3 (contest* OR '
        "respond* OR llam*))",
        '"no response" OR "no reply" OR "never replied" OR "never answered" OR ((no OR '
        "nobody OR never) NEAR/3 (answer* OR respond* OR call* OR repl*))",
    ),
    # Insurance
    _t(
        "seguro",
        "Seguro",
        "Insurance",
        None,
        "seguro OR seguros OR poliza* OR aseguradora OR siniestro* OR cobertura OR franquicia "
        "OR peritaje OR perito",
        "insurance OR insurer OR policy OR claim* OR coverage OR deductible OR adjuster",
    ),
    # Cancellation
    _t(
        "baja",
        "Baja y cancelación",
        "Cancellation",
        None,
        'baja OR cancel* OR anul* OR desistimiento OR permanencia OR "darme de baja" OR '
        "portabilidad",
        'cancel* OR unsubscribe OR terminate OR termination OR "close my account"',
    ),
]


def default_taxonomy() -> Taxonomy:
    """The default taxonomy, compiled."""
    return Taxonomy.from_dicts(DEFAULT_TAXONOMY)
